"""Runs one s3-credentials command in this process and prints how long it took, as JSON (see bench/README.md)."""
import json
import sys
import time

from click.testing import CliRunner
from s3_credentials.cli import cli

runner = CliRunner()
start = time.perf_counter()
result = runner.invoke(cli, sys.argv[1:])
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "exit_code": result.exit_code, "output_lines": len(result.output.splitlines()), "error": repr(result.exception) if result.exception else None}))
