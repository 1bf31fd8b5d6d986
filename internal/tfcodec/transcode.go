package tfcodec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// StateJSONToMsgPack re-encodes a stored state's JSON as the msgpack of typ: what decoding it with
// tftypes (undefined attributes ignored) and encoding the value again gives, without the value in
// between. tftypes decodes JSON by re-reading every nested value from its own bytes, once per
// level of nesting, a large share of a no-op plan's provider CPU (docs/benchmarks.md).
// Types this does not know (dynamic, tuples, optional object attributes) are an error, and the
// caller leaves the state to the framework. TestStateJSONToMsgPack_matchesTftypes holds it to
// tftypes' answers.
func StateJSONToMsgPack(data []byte, typ tftypes.Type) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	if err := transcodeJSON(enc, v, typ); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jsonMember is one key of a JSON object, in order: a key may repeat, and tftypes decodes every
// occurrence (the last one wins).
type jsonMember struct {
	key string
	val any
}

// decodeJSON reads one JSON value: objects as []jsonMember, arrays as []any, and json.Number,
// string, bool or nil.
func decodeJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var ms []jsonMember
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := tok.(string) // the decoder only returns a string token as an object key
			v, err := decodeJSON(dec)
			if err != nil {
				return nil, err
			}
			ms = append(ms, jsonMember{key: k, val: v})
		}
		_, err := dec.Token()
		return ms, err
	case json.Delim('['):
		xs := []any{}
		for dec.More() {
			v, err := decodeJSON(dec)
			if err != nil {
				return nil, err
			}
			xs = append(xs, v)
		}
		_, err := dec.Token()
		return xs, err
	}
	return tok, nil
}

// lastOf returns the value of key's last occurrence (nil when absent). Earlier ones are
// transcoded to nowhere first, so an invalid one is an error as in tftypes.
func lastOf(ms []jsonMember, key string, typ tftypes.Type) (any, error) {
	var last any
	found := false
	for _, m := range ms {
		if m.key != key {
			continue
		}
		if found {
			if err := transcodeJSON(msgpack.NewEncoder(io.Discard), last, typ); err != nil {
				return nil, err
			}
		}
		last, found = m.val, true
	}
	return last, nil
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
		return transcodeMap(enc, v, t)
	case tftypes.Object:
		return transcodeObject(enc, v, t)
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

// transcodeMap writes a JSON object as a map of t's element type.
func transcodeMap(enc *msgpack.Encoder, v any, t tftypes.Map) error {
	ms, ok := v.([]jsonMember)
	if !ok {
		return fmt.Errorf("expected an object for %s, got %T", t, v)
	}
	// The last occurrence of a key wins; an earlier one must still be valid.
	last := make(map[string]int, len(ms))
	keys := make([]string, 0, len(ms))
	for i, m := range ms {
		if j, dup := last[m.key]; dup {
			if err := transcodeJSON(msgpack.NewEncoder(io.Discard), ms[j].val, t.ElementType); err != nil {
				return err
			}
		} else {
			keys = append(keys, m.key)
		}
		last[m.key] = i
	}
	if err := enc.EncodeMapLen(len(keys)); err != nil {
		return err
	}
	for _, k := range keys {
		if err := enc.EncodeString(k); err != nil {
			return err
		}
		if err := transcodeJSON(enc, ms[last[k]].val, t.ElementType); err != nil {
			return err
		}
	}
	return nil
}

// transcodeObject writes a JSON object as t's attributes, in sorted order.
func transcodeObject(enc *msgpack.Encoder, v any, t tftypes.Object) error {
	ms, ok := v.([]jsonMember)
	if !ok || len(t.OptionalAttributes) > 0 {
		return fmt.Errorf("cannot decode %T as %s", v, t)
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
		e, err := lastOf(ms, k, t.AttributeTypes[k])
		if err != nil {
			return err
		}
		if err := transcodeJSON(enc, e, t.AttributeTypes[k]); err != nil {
			return err
		}
	}
	return nil
}
