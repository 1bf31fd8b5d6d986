package tfcodec

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Private is private state in the framework's encoding: a JSON object of base64 values. Keys
// starting with "." are the framework's own (the read after an import); a call that finds one is
// left to the framework.
type Private map[string][]byte

// DecodePrivate reads private state; ok is false when it is not the framework's encoding.
func DecodePrivate(b []byte) (Private, bool) {
	m := Private{}
	if len(b) == 0 {
		return m, true
	}
	if json.Unmarshal(b, (*map[string][]byte)(&m)) != nil {
		return nil, false
	}
	return m, true
}

// HasFrameworkKeys says whether the framework stored keys of its own.
func (m Private) HasFrameworkKeys() bool {
	for k := range m {
		if strings.HasPrefix(k, ".") {
			return true
		}
	}
	return false
}

// GetKey returns the value of key (nil when absent).
func (m Private) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

// SetKey sets key to a JSON value, or removes it when value is empty.
func (m Private) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
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

// Bytes encodes the private state as the framework does (nil when empty).
func (m Private) Bytes() []byte {
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(map[string][]byte(m))
	return b
}
