package tfcodec

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math/big"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Fingerprint digests what a plan depends on: the provider build (version), the configuration,
// the prior state and whatever else the caller names (extras, in order). ok is false when a value
// is not known, as a plan with unknowns is never a no-op to prove. The result is JSON, as private
// state values must be.
func Fingerprint(version string, config, state tftypes.Value, extras ...[]byte) ([]byte, bool) {
	if !config.IsFullyKnown() || !state.IsFullyKnown() {
		return nil, false
	}
	h := sha256.New()
	writeBytes(h, []byte(version))
	writeValue(h, config)
	writeValue(h, state)
	for _, e := range extras {
		writeBytes(h, e)
	}
	sum := h.Sum(nil)
	// Private state values must be JSON: a quoted hex string.
	out, _ := json.Marshal(hex.EncodeToString(sum))
	return out, true
}

func writeBytes(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// writeValue writes a canonical form of v: map keys and object attributes sorted, set elements
// by their digests, every value tagged with its kind and length-prefixed.
func writeValue(h hash.Hash, v tftypes.Value) {
	switch {
	case v.IsNull():
		h.Write([]byte{'n'})
		return
	case !v.IsKnown():
		h.Write([]byte{'u'})
		return
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		h.Write([]byte{'s'})
		writeBytes(h, []byte(s))
	case typ.Is(tftypes.Number):
		f := new(big.Float)
		_ = v.As(f)
		h.Write([]byte{'f'})
		writeBytes(h, []byte(f.Text('p', 0)))
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		if b {
			h.Write([]byte{'t'})
		} else {
			h.Write([]byte{'F'})
		}
	case typ.Is(tftypes.Map{}) || typ.Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.Write([]byte{'m'})
		writeBytes(h, binary.BigEndian.AppendUint64(nil, uint64(len(keys))))
		for _, k := range keys {
			writeBytes(h, []byte(k))
			writeValue(h, m[k])
		}
	case typ.Is(tftypes.Set{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		sums := make([][]byte, 0, len(elems))
		for _, e := range elems {
			eh := sha256.New()
			writeValue(eh, e)
			sums = append(sums, eh.Sum(nil))
		}
		slices.SortFunc(sums, func(a, b []byte) int { return slices.Compare(a, b) })
		h.Write([]byte{'S'})
		writeBytes(h, binary.BigEndian.AppendUint64(nil, uint64(len(sums))))
		for _, s := range sums {
			h.Write(s)
		}
	default: // lists and tuples keep their order
		var elems []tftypes.Value
		_ = v.As(&elems)
		h.Write([]byte{'l'})
		writeBytes(h, binary.BigEndian.AppendUint64(nil, uint64(len(elems))))
		for _, e := range elems {
			writeValue(h, e)
		}
	}
}
