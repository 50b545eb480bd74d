"""Report writers. Every writer takes the JSON report dict (``json_report.to_dict``),
so formats stay independent of the pipeline's internals."""
