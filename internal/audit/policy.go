package audit

// APIVersion and Kind of the rendered document.
const (
	APIVersion = "audit.k8s.io/v1"
	Kind       = "Policy"
)

// Level is how much of a request the API server records.
type Level string

// The audit levels, from nothing to everything.
const (
	LevelNone            Level = "None"
	LevelMetadata        Level = "Metadata"
	LevelRequest         Level = "Request"
	LevelRequestResponse Level = "RequestResponse"
)

// Levels lists the valid levels, lowest first.
var Levels = []Level{LevelNone, LevelMetadata, LevelRequest, LevelRequestResponse}

// Stage is a point in the handling of a request at which an event can be written.
type Stage string

// The audit stages.
const (
	StageRequestReceived  Stage = "RequestReceived"
	StageResponseStarted  Stage = "ResponseStarted"
	StageResponseComplete Stage = "ResponseComplete"
	StagePanic            Stage = "Panic"
)

// Stages lists the valid stages in the order a request passes them.
var Stages = []Stage{StageRequestReceived, StageResponseStarted, StageResponseComplete, StagePanic}

// Policy is audit.k8s.io/v1 Policy.
type Policy struct {
	APIVersion string       `json:"apiVersion"`
	Kind       string       `json:"kind"`
	OmitStages []Stage      `json:"omitStages,omitempty"`
	Rules      []PolicyRule `json:"rules"`
}

// PolicyRule maps requests to a level. Every field that is set must match (an empty list
// matches everything); the first matching rule of a policy decides.
type PolicyRule struct {
	Level           Level            `json:"level"`
	Users           []string         `json:"users,omitempty"`
	UserGroups      []string         `json:"userGroups,omitempty"`
	Verbs           []string         `json:"verbs,omitempty"`
	Resources       []GroupResources `json:"resources,omitempty"`
	Namespaces      []string         `json:"namespaces,omitempty"`
	NonResourceURLs []string         `json:"nonResourceURLs,omitempty"`
	OmitStages      []Stage          `json:"omitStages,omitempty"`

	// Comment is written above the rule in the rendered YAML; it is not part of the API object.
	Comment string `json:"-"`
}

// GroupResources selects resources of one API group ("" is the core group, "*" every group).
// Resources may name subresources ("pods/log"), "*", "*/status" or "pods/*".
type GroupResources struct {
	Group         string   `json:"group"`
	Resources     []string `json:"resources,omitempty"`
	ResourceNames []string `json:"resourceNames,omitempty"`
}
