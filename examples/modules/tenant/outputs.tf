output "namespaces" {
  description = "The tenant's namespace names."
  value       = [for name in local.names : hardened_namespace.this[name].name]
}

output "compliance" {
  description = "Per namespace: whether it satisfies every checklist practice it covers, and a line for each one it does not (with the CIS / Kubescape checks that report it)."
  value       = { for name, ns in hardened_namespace.this : name => ns.compliance }
}

output "compliant" {
  description = "Per namespace: true when every practice it covers is satisfied."
  value       = { for name, ns in hardened_namespace.this : name => ns.compliance.satisfied }
}
