// Package tfcodec holds the shortcuts around terraform-plugin-framework's conversions that make a
// no-op plan of many resources cheap: a model codec (a struct of attr.Value fields to and from
// tftypes values, without the framework's reflection), a transcoder from a stored state's JSON to
// msgpack, plan fingerprints, the framework's private-state encoding, protocol diagnostics and the
// check that a prior state holds a schema's defaults.
//
// It knows no resource. What it cannot handle in a schema (blocks, custom value types, write-only
// attributes, defaults other than static bools and strings, dynamic and tuple types) Unsupported
// names; a resource that uses the shortcuts holds its schema to an empty answer in a unit test and
// leaves every call to the framework while it is not. The framework-agreement tests of the
// provider package compare each shortcut's answer with the framework's.
package tfcodec
