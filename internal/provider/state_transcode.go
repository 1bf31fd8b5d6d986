package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// stateJSONToMsgPack re-encodes a stored state's JSON as the msgpack of typ: what decoding it with
// tftypes (undefined attributes ignored) and encoding the value again gives, without the value in
// between. tftypes decodes JSON by re-reading every nested value from its own bytes, once per
// level of nesting: at 200 namespaces a sixth of a no-op plan's provider CPU went to that alone.
// Types this does not know (dynamic, tuples, optional object attributes) are an error, and the
// caller leaves the state to the framework. TestStateJSONToMsgPack_matchesTftypes holds it to
// tftypes' answers.
func stateJSONToMsgPack(data []byte, typ tftypes.Type) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	if err := transcodeJSON(enc, v, typ); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func transcodeJSON(enc *msgpack.Encoder, v any, typ tftypes.Type) error {
	if v == nil {
		return enc.EncodeNil()
	}
	switch t := typ.(type) {
	case tftypes.List:
		return transcodeElements(enc, v, t.ElementType)
	case tftypes.Set:
		return transcodeElements(enc, v, t.ElementType)
	case tftypes.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("expected an object for %s, got %T", typ, v)
		}
		if err := enc.EncodeMapLen(len(m)); err != nil {
			return err
		}
		for k, e := range m {
			if err := enc.EncodeString(k); err != nil {
				return err
			}
			if err := transcodeJSON(enc, e, t.ElementType); err != nil {
				return err
			}
		}
		return nil
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok || len(t.OptionalAttributes) > 0 {
			return fmt.Errorf("cannot decode %T as %s", v, typ)
		}
		keys := make([]string, 0, len(t.AttributeTypes))
		for k := range t.AttributeTypes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if err := enc.EncodeMapLen(len(keys)); err != nil {
			return err
		}
		for _, k := range keys {
			if err := enc.EncodeString(k); err != nil {
				return err
			}
			if err := transcodeJSON(enc, m[k], t.AttributeTypes[k]); err != nil {
				return err
			}
		}
		return nil
	}
	switch {
	case typ.Is(tftypes.String):
		switch s := v.(type) {
		case string:
			return enc.EncodeString(s)
		case json.Number:
			return enc.EncodeString(string(s))
		case bool:
			return enc.EncodeString(fmt.Sprint(s))
		}
	case typ.Is(tftypes.Number):
		var text string
		switch n := v.(type) {
		case json.Number:
			text = string(n)
		case string:
			text = n
		default:
			return fmt.Errorf("expected a number, got %T", v)
		}
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		if err != nil {
			return err
		}
		return encodeNumber(enc, f)
	case typ.Is(tftypes.Bool):
		switch b := v.(type) {
		case bool:
			return enc.EncodeBool(b)
		case string:
			if b == "true" || b == "1" || b == "false" || b == "0" {
				return enc.EncodeBool(b == "true" || b == "1")
			}
		case json.Number:
			if b == "1" || b == "0" {
				return enc.EncodeBool(b == "1")
			}
		}
	}
	return fmt.Errorf("cannot decode %T as %s", v, typ)
}

func transcodeElements(enc *msgpack.Encoder, v any, elem tftypes.Type) error {
	xs, ok := v.([]any)
	if !ok {
		return fmt.Errorf("expected an array, got %T", v)
	}
	if err := enc.EncodeArrayLen(len(xs)); err != nil {
		return err
	}
	for _, x := range xs {
		if err := transcodeJSON(enc, x, elem); err != nil {
			return err
		}
	}
	return nil
}

// encodeNumber writes a number as tftypes does: an exact int64 as an integer, an exact float64
// as a float, anything else as its decimal text.
func encodeNumber(enc *msgpack.Encoder, n *big.Float) error {
	if n.IsInf() {
		return enc.EncodeFloat64(math.Inf(n.Sign()))
	}
	if iv, acc := n.Int64(); acc == big.Exact {
		return enc.EncodeInt(iv)
	}
	if fv, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return enc.EncodeFloat64(fv)
	}
	return enc.EncodeString(n.Text('f', -1))
}
