"""The SpiffWorkflow wrapper: dialect, restricted scripting, state codec, spec cache and forms."""
