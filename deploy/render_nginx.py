"""Render deploy/nginx/lotse.conf.template into an nginx site file (Python standard library only).

    python3 deploy/render_nginx.py --server-name lotse.example.org --nodes 8001,8002 \
        --certificate /etc/letsencrypt/live/lotse.example.org/fullchain.pem \
        --certificate-key /etc/letsencrypt/live/lotse.example.org/privkey.pem \
        --static-root /srv/lotse/var/static > /etc/nginx/sites-available/lotse

``make deploy-test`` renders the same template, so what is tested is what is deployed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "lotse.conf.template"
# The same value Django sends (LOTSE_HSTS_SECONDS and friends, defaults).
DEFAULT_HSTS = "max-age=31536000; includeSubDomains; preload"


def _node_address(node: str) -> str:
    node = node.strip()
    if re.fullmatch(r"\d{1,5}", node):
        return f"127.0.0.1:{node}"
    if not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+:\d{1,5}", node):
        raise ValueError(f"an app node is a port or host:port, not {node!r}")
    return node


def render(
    *,
    server_name: str,
    nodes: list[str],
    certificate: str,
    certificate_key: str,
    static_root: str,
    https_port: int = 443,
    http_port: int = 80,
    listen_address: str = "",
    log_dir: str = "/var/log/nginx",
    acme_root: str = "/var/www/letsencrypt",
    hsts: str = DEFAULT_HSTS,
    max_fails: int = 2,
    fail_timeout: str = "10s",
) -> str:
    if not nodes:
        raise ValueError("at least one app node is needed")
    upstream = "\n".join(
        f"    server {_node_address(node)} max_fails={max_fails} fail_timeout={fail_timeout};"
        for node in nodes
    )

    def listen(port: int, flags: str = "") -> str:
        # Every address (IPv4 and IPv6) unless one is named (make deploy-test: 127.0.0.1).
        addresses = [f"{listen_address}:{port}"] if listen_address else [f"{port}", f"[::]:{port}"]
        return "\n".join(f"    listen {address}{flags};" for address in addresses)

    values = {
        "LISTEN_HTTP": listen(http_port),
        "LISTEN_HTTPS_DEFAULT": listen(https_port, " ssl default_server"),
        "LISTEN_HTTPS": listen(https_port, " ssl http2"),
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": upstream,
        "MAX_FAILS": str(max_fails),
        "FAIL_TIMEOUT": fail_timeout,
        "TLS_CERTIFICATE": certificate,
        "TLS_CERTIFICATE_KEY": certificate_key,
        "STATIC_ROOT": static_root.rstrip("/"),
        "HTTPS_PORT_SUFFIX": "" if https_port == 443 else f":{https_port}",
        "LOG_DIR": log_dir.rstrip("/"),
        "ACME_ROOT": acme_root,
        "HSTS": hsts,
    }
    text = TEMPLATE.read_text(encoding="utf-8")

    def substitute(match: re.Match[str]) -> str:
        return values[match.group(1)]  # a KeyError names a placeholder nobody fills

    return re.sub(r"\{\{([A-Z_]+)\}\}", substitute, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True, help="the host name users type")
    parser.add_argument(
        "--nodes", required=True, help="app nodes: ports on 127.0.0.1 or host:port, comma-separated"
    )
    parser.add_argument("--certificate", required=True, help="certificate chain (PEM)")
    parser.add_argument("--certificate-key", required=True, help="its private key (PEM)")
    parser.add_argument("--static-root", required=True, help="LOTSE_VAR_DIR/static")
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--listen-address", default="", help="one address, e.g. 127.0.0.1")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    parser.add_argument("--acme-root", default="/var/www/letsencrypt")
    parser.add_argument("--hsts", default=DEFAULT_HSTS, help="Strict-Transport-Security value")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            server_name=args.server_name,
            nodes=args.nodes.split(","),
            certificate=args.certificate,
            certificate_key=args.certificate_key,
            static_root=args.static_root,
            https_port=args.https_port,
            http_port=args.http_port,
            listen_address=args.listen_address,
            log_dir=args.log_dir,
            acme_root=args.acme_root,
            hsts=args.hsts,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
