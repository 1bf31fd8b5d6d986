output "namespaces" {
  description = "The tenant's namespace names."
  value       = [for name in local.names : hardened_namespace.this[name].name]
}

output "compliance" {
  description = "Per namespace: the checklist practices it covers, whether each is satisfied, and the CIS / Kubescape checks it answers."
  value       = { for name, ns in hardened_namespace.this : name => ns.compliance }
}

output "compliant" {
  description = "Per namespace: true when every practice it covers is satisfied."
  value       = { for name, ns in hardened_namespace.this : name => alltrue([for c in ns.compliance : c.satisfied]) }
}
