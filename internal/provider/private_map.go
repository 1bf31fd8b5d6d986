package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateMap is private state in the framework's encoding: a JSON object of base64 values. Keys
// starting with "." are the framework's own (the read after an import); a call that finds one is
// left to the framework.
type privateMap map[string][]byte

func decodePrivate(b []byte) (privateMap, bool) {
	m := privateMap{}
	if len(b) == 0 {
		return m, true
	}
	if json.Unmarshal(b, (*map[string][]byte)(&m)) != nil {
		return nil, false
	}
	return m, true
}

func (m privateMap) hasFrameworkKeys() bool {
	for k := range m {
		if strings.HasPrefix(k, ".") {
			return true
		}
	}
	return false
}

func (m privateMap) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m privateMap) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case strings.HasPrefix(key, "."):
		diags.AddError("Invalid private state key", "keys starting with a period are the framework's: "+key)
	case len(value) == 0:
		delete(m, key)
	case !json.Valid(value):
		diags.AddError("Invalid private state value", "the value of "+key+" is not JSON")
	default:
		m[key] = value
	}
	return diags
}

func (m privateMap) bytes() []byte {
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(map[string][]byte(m))
	return b
}
