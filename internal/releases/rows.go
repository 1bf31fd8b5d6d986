package releases

import (
	"fmt"
	"sort"
)

// row is what ordering and upgrade paths need from a row of the upstream table or a vendor's.
type row interface {
	id() (major, number int, minor string)
}

func (m Minor) id() (int, int, string)       { return m.Major, m.Number, m.Minor }
func (m VendorMinor) id() (int, int, string) { return m.Major, m.Number, m.Minor }

// sortContiguous orders rows by minor and refuses gaps and duplicates: upgrade paths step through
// consecutive rows, so either would silently produce an impossible path.
func sortContiguous[R row](rows []R, what string) error {
	sort.SliceStable(rows, func(i, j int) bool {
		aMajor, aMinor, _ := rows[i].id()
		bMajor, bMinor, _ := rows[j].id()
		return minorLess(aMajor, aMinor, bMajor, bMinor)
	})
	for i := 1; i < len(rows); i++ {
		pMajor, pNumber, prev := rows[i-1].id()
		cMajor, cNumber, cur := rows[i].id()
		if cMajor != pMajor || cNumber != pNumber+1 {
			return fmt.Errorf("%s minors must be unique and contiguous: %s follows %s", what, cur, prev)
		}
	}
	return nil
}

// stepsTo lists the minors after v up to and including target, one at a time, because control
// planes can only be upgraded one minor at a time.
func stepsTo[R row](rows []R, v Version, target *R) []string {
	out := []string{}
	if target == nil {
		return out
	}
	tMajor, tNumber, _ := (*target).id()
	for _, m := range rows {
		major, number, minor := m.id()
		if minorLess(v.Major, v.Minor, major, number) && !minorLess(tMajor, tNumber, major, number) {
			out = append(out, minor)
		}
	}
	return out
}
