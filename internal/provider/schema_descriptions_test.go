package provider

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// The Registry documentation is generated from the schemas (make generate): an attribute without a
// MarkdownDescription shows up there as a bare name. These tests call every Schema method the
// provider serves and fail on any attribute, nested attribute, block, function parameter or
// function result attribute that is not described.

func TestSchemaDescriptions_provider(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var resp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", resp.Diagnostics)
	}
	checkDescribed(t, "provider", resp.Schema.Attributes, resp.Schema.Blocks)
}

func TestSchemaDescriptions_resources(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	ctors := p.Resources(ctx)
	if len(ctors) == 0 {
		t.Fatal("the provider serves no resources")
	}
	for _, ctor := range ctors {
		r := ctor()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "hardened"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s schema: %v", meta.TypeName, resp.Diagnostics)
		}
		if strings.TrimSpace(resp.Schema.MarkdownDescription) == "" {
			t.Errorf("resource %s: the schema has no MarkdownDescription", meta.TypeName)
		}
		checkDescribed(t, "resource "+meta.TypeName, resp.Schema.Attributes, resp.Schema.Blocks)
	}
}

func TestSchemaDescriptions_dataSources(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	ctors := p.DataSources(ctx)
	if len(ctors) == 0 {
		t.Fatal("the provider serves no data sources")
	}
	for _, ctor := range ctors {
		d := ctor()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "hardened"}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s schema: %v", meta.TypeName, resp.Diagnostics)
		}
		if strings.TrimSpace(resp.Schema.MarkdownDescription) == "" {
			t.Errorf("data source %s: the schema has no MarkdownDescription", meta.TypeName)
		}
		checkDescribed(t, "data source "+meta.TypeName, resp.Schema.Attributes, resp.Schema.Blocks)
	}
}

func TestSchemaDescriptions_functions(t *testing.T) {
	ctx := context.Background()
	p, ok := New("test")().(provider.ProviderWithFunctions)
	if !ok {
		t.Fatal("the provider does not serve functions")
	}
	ctors := p.Functions(ctx)
	if len(ctors) == 0 {
		t.Fatal("the provider serves no functions")
	}
	for _, ctor := range ctors {
		f := ctor()
		var meta function.MetadataResponse
		f.Metadata(ctx, function.MetadataRequest{}, &meta)
		var resp function.DefinitionResponse
		f.Definition(ctx, function.DefinitionRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("function %s: %v", meta.Name, resp.Diagnostics)
		}
		def := resp.Definition
		where := "function " + meta.Name
		if strings.TrimSpace(def.Summary) == "" {
			t.Errorf("%s: no Summary", where)
		}
		if strings.TrimSpace(def.MarkdownDescription) == "" {
			t.Errorf("%s: no MarkdownDescription", where)
		}
		params := append([]function.Parameter{}, def.Parameters...)
		if def.VariadicParameter != nil {
			params = append(params, def.VariadicParameter)
		}
		for i, param := range params {
			if strings.TrimSpace(param.GetMarkdownDescription()) == "" {
				t.Errorf("%s: parameter %d (%q) has no MarkdownDescription", where, i, param.GetName())
			}
		}
		if def.Return == nil {
			t.Errorf("%s: no return definition", where)
			continue
		}
		// A return value has no description of its own; an object's attributes must be documented in
		// the function's MarkdownDescription, as "- `name`: what it is".
		if obj, ok := def.Return.(function.ObjectReturn); ok {
			names := make([]string, 0, len(obj.AttributeTypes))
			for name := range obj.AttributeTypes {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				if !returnAttributeDocumented(def.MarkdownDescription, name) {
					t.Errorf("%s: return attribute %q is not described in the MarkdownDescription (\"- `%s`: ...\")", where, name, name)
				}
			}
		}
	}
}

func returnAttributeDocumented(markdown, name string) bool {
	prefix := "- `" + name + "`: "
	for _, line := range strings.Split(markdown, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, prefix) && strings.TrimSpace(strings.TrimPrefix(line, prefix)) != "" {
			return true
		}
	}
	return false
}

// markdownDescribed is what every attribute and block of the provider, resource and data source
// schema packages implements.
type markdownDescribed interface {
	GetMarkdownDescription() string
}

// checkDescribed fails the test for every attribute or block of a schema without a
// MarkdownDescription.
func checkDescribed(t *testing.T, where string, attributes, blocks any) {
	t.Helper()
	for _, path := range undescribed(attributes, blocks) {
		t.Errorf("%s: %s has no MarkdownDescription", where, path)
	}
}

// undescribed returns the paths of a schema's attributes and blocks without a MarkdownDescription.
func undescribed(attributes, blocks any) []string {
	var missing []string
	visit := func(path string, v any) {
		if d, ok := v.(markdownDescribed); !ok || strings.TrimSpace(d.GetMarkdownDescription()) == "" {
			missing = append(missing, path)
		}
	}
	walkSchema("", reflect.ValueOf(attributes), visit)
	walkSchema("", reflect.ValueOf(blocks), visit)
	return missing
}

// walkSchema visits every entry of a map of the schema package's Attribute or Block interfaces,
// in name order, and descends into what a nested attribute or block holds: Attributes and Blocks
// fields (single nested), or a NestedObject with them (list, set and map nested).
func walkSchema(prefix string, m reflect.Value, visit func(path string, v any)) {
	if !m.IsValid() || m.Kind() != reflect.Map {
		return
	}
	keys := m.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		path := prefix + k.String()
		v := m.MapIndex(k).Interface()
		visit(path, v)
		walkNested(path+".", reflect.ValueOf(v), visit)
	}
}

func walkNested(prefix string, v reflect.Value, visit func(path string, v any)) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for _, field := range []string{"Attributes", "Blocks"} {
		if f := v.FieldByName(field); f.IsValid() {
			walkSchema(prefix, f, visit)
		}
	}
	if f := v.FieldByName("NestedObject"); f.IsValid() {
		walkNested(prefix, f, visit)
	}
}

// TestSchemaDescriptions_walker proves the walker reports a missing description at every depth
// (top level, single and list nested attributes, nested blocks), so a green run means something.
func TestSchemaDescriptions_walker(t *testing.T) {
	d := "described"
	attrs := map[string]rschema.Attribute{
		"ok":   rschema.StringAttribute{Optional: true, MarkdownDescription: d},
		"bare": rschema.StringAttribute{Optional: true, Description: "plain text only"},
		"single": rschema.SingleNestedAttribute{Optional: true, MarkdownDescription: d, Attributes: map[string]rschema.Attribute{
			"ok":   rschema.BoolAttribute{Optional: true, MarkdownDescription: d},
			"bare": rschema.BoolAttribute{Optional: true},
		}},
		"list": rschema.ListNestedAttribute{Optional: true, NestedObject: rschema.NestedAttributeObject{Attributes: map[string]rschema.Attribute{
			"bare": rschema.Int64Attribute{Optional: true},
		}}},
	}
	blocks := map[string]rschema.Block{
		"block": rschema.ListNestedBlock{MarkdownDescription: d, NestedObject: rschema.NestedBlockObject{
			Attributes: map[string]rschema.Attribute{"bare": rschema.StringAttribute{Optional: true}},
			Blocks: map[string]rschema.Block{"inner": rschema.SingleNestedBlock{Attributes: map[string]rschema.Attribute{
				"bare": rschema.StringAttribute{Optional: true},
			}}},
		}},
	}
	got := strings.Join(undescribed(attrs, blocks), " ")
	want := "bare list list.bare single.bare block.bare block.inner block.inner.bare"
	if got != want {
		t.Fatalf("undescribed() = %q, want %q", got, want)
	}

	// And it reaches deep into the real resource schema.
	var resp resource.SchemaResponse
	NewNamespaceResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var paths []string
	walkSchema("", reflect.ValueOf(resp.Schema.Attributes), func(path string, _ any) { paths = append(paths, path) })
	for _, p := range []string{"access.groups", "pod_security.enforce", "timeouts.delete", "compliance.gaps"} {
		if !slices.Contains(paths, p) {
			t.Errorf("the walker did not reach hardened_namespace attribute %s (reached %d paths)", p, len(paths))
		}
	}
}

// TestSchemaDescriptions_manifestsShareResource: every argument hardened_namespace_manifests takes
// is hardened_namespace's, with the same type, the same requiredness and the same description.
func TestSchemaDescriptions_manifestsShareResource(t *testing.T) {
	ctx := context.Background()
	var rs resource.SchemaResponse
	NewNamespaceResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	var ds datasource.SchemaResponse
	NewNamespaceManifestsDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	type described interface {
		markdownDescribed
		IsRequired() bool
	}
	resourceAttrs := map[string]described{}
	walkSchema("", reflect.ValueOf(rs.Schema.Attributes), func(path string, v any) {
		if d, ok := v.(described); ok {
			resourceAttrs[path] = d
		}
	})
	inputs := 0
	walkSchema("", reflect.ValueOf(ds.Schema.Attributes), func(path string, v any) {
		if slices.Contains([]string{"id", "yaml", "manifests", "objects"}, path) {
			return // the data source's results
		}
		d, ok := v.(described)
		if !ok {
			t.Errorf("hardened_namespace_manifests argument %s has no description", path)
			return
		}
		inputs++
		r, ok := resourceAttrs[path]
		switch {
		case !ok:
			t.Errorf("hardened_namespace_manifests argument %s is not a hardened_namespace argument", path)
		case r.GetMarkdownDescription() != d.GetMarkdownDescription():
			t.Errorf("%s: the data source describes it as %q, the resource as %q", path, d.GetMarkdownDescription(), r.GetMarkdownDescription())
		case r.IsRequired() != d.IsRequired():
			t.Errorf("%s: required %v on the data source, %v on the resource", path, d.IsRequired(), r.IsRequired())
		}
	})
	if inputs < 30 {
		t.Errorf("compared only %d data source arguments", inputs)
	}
}
