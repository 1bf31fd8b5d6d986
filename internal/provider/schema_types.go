package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
)

// nestedAttrTypes are the attribute types of a nested object attribute, or of the objects of a
// nested list, as the schema declares them: values built with them always fit the schema.
func nestedAttrTypes[A interface{ GetType() attr.Type }](attributes map[string]A, name string) map[string]attr.Type {
	a, ok := attributes[name]
	if !ok {
		panic(fmt.Sprintf("the schema has no attribute %s", name))
	}
	t := a.GetType()
	if list, ok := t.(attr.TypeWithElementType); ok {
		t = list.ElementType()
	}
	obj, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		panic(fmt.Sprintf("attribute %s is %s, not an object or a list of objects", name, t))
	}
	return obj.AttributeTypes()
}
