// Package fielderr is the validation error the pure packages share: a message at an attribute
// path, which the provider turns into a Terraform attribute path.
package fielderr
