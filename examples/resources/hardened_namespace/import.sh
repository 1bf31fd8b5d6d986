# Adopt an existing namespace by its name.
terraform import hardened_namespace.payments payments
