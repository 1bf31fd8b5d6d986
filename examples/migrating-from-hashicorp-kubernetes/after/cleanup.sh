#!/bin/sh
# After `terraform apply` of the migration: delete the objects hashicorp/kubernetes created, which
# Terraform has forgotten and hardened_namespace never deletes (it deletes only what it created).
# Their replacements are already in place, so no moment leaves the namespace more open: the old
# allow-dns (DNS to every namespace) is the one the plan warns about.
set -eu
kubectl delete --namespace payments networkpolicy default-deny allow-dns allow-internal
kubectl delete --namespace payments resourcequota quota
kubectl delete --namespace payments limitrange limits
kubectl delete --namespace payments rolebinding team-edit
