// Command noop-provider is the benchmark's plugin floor: a terraform-plugin-framework provider
// (kubehardening/noop) whose one resource, noop_thing, keeps its configuration as its state and
// does nothing else. What a plan of it costs is what any plugin provider costs Terraform before it
// does any work: the plugin processes, four RPCs per instance and the framework's handling of them.
package main
