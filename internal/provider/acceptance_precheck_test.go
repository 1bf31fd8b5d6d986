package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestAcceptanceTestsCallPreCheck: every TestAcc function starts with testAccPreCheck(t), so
// without TF_ACC it skips before touching a cluster and with TF_ACC it cannot skip.
func TestAcceptanceTestsCallPreCheck(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	count := 0
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "TestAcc") || fn.Name.Name == "TestAcceptanceTestsCallPreCheck" {
				continue
			}
			count++
			if !startsWithPreCheck(fn) {
				t.Errorf("%s (%s) does not start with testAccPreCheck(t)", fn.Name.Name, f)
			}
		}
	}
	if count < 50 {
		t.Fatalf("found %d acceptance tests; the glob or the parse is wrong", count)
	}
}

func startsWithPreCheck(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return false
	}
	stmt, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == "testAccPreCheck"
}
