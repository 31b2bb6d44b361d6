// Package examples_test checks the repository's README: every Go snippet in it is a complete
// program that compiles as written, and its body is a runnable Example (with // Output:) of one of
// the packages, so what the README promises is tested.
package examples_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// snippet is one ```go block of the README, parsed.
type snippet struct {
	line    int      // line of the README where the block starts
	source  string   // the whole block
	body    string   // the body of func main, dedented
	imports []string // import paths
}

// example is one Example function of the repository's tests.
type example struct {
	where   string   // file:Name
	body    string   // its body without the // Output: comment, dedented
	imports []string // the paths of its file's imports that its body uses
}

func TestReadmeSnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	snippets := readmeSnippets(t, readme)
	if len(snippets) < 3 {
		t.Fatalf("found %d Go snippets in README.md, want the first look, the digits classifier and the training loop", len(snippets))
	}
	examples := repoExamples(t, "..")
	for _, s := range snippets {
		i := slices.IndexFunc(examples, func(e example) bool { return e.body == s.body })
		if i < 0 {
			t.Errorf("README.md:%d: the body of main is no Example's body; make it one (with // Output:) and copy it verbatim:\n%s", s.line, s.body)
			continue
		}
		if e := examples[i]; !slices.Equal(e.imports, s.imports) {
			t.Errorf("README.md:%d: imports %q, want %q, the ones %s uses", s.line, s.imports, e.imports, e.where)
		}
	}
	if testing.Short() {
		t.Skip("building the snippets")
	}
	for _, s := range snippets {
		if out, err := build(t, s.source); err != nil {
			t.Errorf("README.md:%d: the program does not build as written: %v\n%s", s.line, err, out)
		}
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// readmeSnippets parses every ```go block of the README as a complete package main.
func readmeSnippets(t *testing.T, readme []byte) []snippet {
	var out []snippet
	for _, m := range goBlock.FindAllSubmatchIndex(readme, -1) {
		src := string(readme[m[2]:m[3]])
		line := 1 + bytes.Count(readme[:m[0]], []byte("\n"))
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "README.md", src, parser.ParseComments)
		if err != nil {
			t.Errorf("README.md:%d: the snippet is not a complete Go file: %v", line, err)
			continue
		}
		main := findFunc(f, "main")
		if f.Name.Name != "main" || main == nil {
			t.Errorf("README.md:%d: the snippet is not a package main with a func main", line)
			continue
		}
		out = append(out, snippet{line: line, source: src, body: bodyText(fset, src, main), imports: importPaths(f, nil)})
	}
	return out
}

// repoExamples returns every Example function in the repository's test files.
func repoExamples(t *testing.T, root string) []example {
	var out []example
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "peers" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") || fn.Body == nil {
				continue
			}
			out = append(out, example{
				where:   path + ":" + fn.Name.Name,
				body:    withoutOutput(bodyText(fset, string(src), fn)),
				imports: importPaths(f, fn.Body),
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findFunc(f *ast.File, name string) *ast.FuncDecl {
	for _, decl := range f.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == name && fn.Body != nil {
			return fn
		}
	}
	return nil
}

// bodyText returns the text between fn's braces, without its first level of indentation and
// surrounding blank lines.
func bodyText(fset *token.FileSet, src string, fn *ast.FuncDecl) string {
	from, to := fset.Position(fn.Body.Lbrace).Offset+1, fset.Position(fn.Body.Rbrace).Offset
	lines := strings.Split(strings.Trim(src[from:to], "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimPrefix(l, "\t"), " \t")
	}
	return strings.Join(lines, "\n")
}

// withoutOutput removes an Example's trailing // Output: comment.
func withoutOutput(body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "// Output:") {
			return strings.TrimRight(strings.Join(lines[:i], "\n"), "\n")
		}
	}
	return body
}

// importPaths returns the sorted import paths of f; with a non-nil body, only those whose package
// name body uses.
func importPaths(f *ast.File, body ast.Node) []string {
	used := map[string]bool{}
	if body != nil {
		ast.Inspect(body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
	}
	var out []string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if body == nil || used[name] {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// build compiles src as the main package of a module that requires this repository.
func build(t *testing.T, src string) ([]byte, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := "module readme\n\ngo 1.26.0\n\nrequire github.com/gograd/gograd v0.0.0\n\nreplace github.com/gograd/gograd => " + root + "\n"
	for name, data := range map[string]string{"go.mod": mod, "go.sum": string(sum), "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "-mod=mod", "-o", os.DevNull, ".")
	cmd.Dir = dir
	return cmd.CombinedOutput()
}
