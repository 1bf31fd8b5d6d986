package fielderr

import (
	"fmt"
	"strings"
)

// MapKey marks a map key in a path.
type MapKey string

// Error is a problem at a path: strings are attribute names, ints list indexes, MapKey map keys.
type Error struct {
	Path []any
	Msg  string
}

func (e Error) Error() string {
	var b strings.Builder
	for i, p := range e.Path {
		switch v := p.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		case MapKey:
			fmt.Fprintf(&b, "[%q]", string(v))
		}
	}
	return b.String() + ": " + e.Msg
}
