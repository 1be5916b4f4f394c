"""Maintainer tool: rewrite manifest.json from the installed context packages.

Run after changing package.json (``npm install`` then ``node export-contexts.cjs``):
    .venv/bin/python coach/wallet/contexts/update_manifest.py [SEED_DIR]
SEED_DIR (optional) holds reviewed copies of contexts no package ships (CLR 2.0);
their hashes are pinned as ``seed`` entries. Review the diff before committing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cert_schema

from coach.wallet.jsonld import canonical_sha256

HERE = Path(__file__).resolve().parent
EXPORT = HERE / "node_modules" / ".stackwise-contexts"
CERT_SCHEMA = Path(cert_schema.__file__).resolve().parent

#: Blockcerts and OB 2.0 contexts shipped by the cert-schema PyPI package.
PYPI_FILES = {
    "https://w3id.org/openbadges/v2": "2.0/obi.json",
    "https://openbadgespec.org/v2/context.json": "2.0/obi.json",
    "https://w3id.org/blockcerts/v2": "2.0/context.json",
    "https://w3id.org/blockcerts/schema/2.0-alpha/context.json": "2.0-alpha/context.json",
    "https://www.blockcerts.org/schema/2.0-alpha/context.json": "2.0-alpha/context.json",
    "https://w3id.org/blockcerts/schema/2.0/context.json": "2.0/context.json",
    "https://www.blockcerts.org/schema/2.0/context.json": "2.0/context.json",
    "https://w3id.org/blockcerts/v2.1": "2.1/context.json",
    "https://w3id.org/blockcerts/schema/2.1/context.json": "2.1/context.json",
    "https://w3id.org/blockcerts/v3": "3.0/context.json",
    "https://w3id.org/blockcerts/schema/3.0/context.json": "3.0/context.json",
    "https://w3id.org/blockcerts/v3.1": "3.1/context.json",
    "https://w3id.org/blockcerts/schema/3.1/context.json": "3.1/context.json",
    "https://w3id.org/blockcerts/v3.2": "3.2/context.json",
    "https://w3id.org/blockcerts/schema/3.2/context.json": "3.2/context.json",
    "https://w3id.org/security/suites/merkle-2019/v1": "3.1/merkleProof2019Context.json",
    "https://w3id.org/security/suites/chained-2021/v1": "3.1/chainedProof2021Context.json",
    "https://w3id.org/vc/status-list/2021/v1": "3.1/statusList2021Context.json",
}

#: Contexts no maintained package ships: pinned by hash, seeded into the data dir.
SEED_FILES = {
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr-v2p0.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-2.0.1.json",
    # EcdsaSecp256k1Signature2019 (Blockcerts status lists and issuer keys): only test
    # fixtures ship it (@blockcerts/ecdsa-secp256k1-signature-2019, cert-verifier-js).
    "https://ns.did.ai/suites/secp256k1-2019/v1": "secp256k1-2019-v1.json",
    "https://w3id.org/security/suites/secp256k1-2019/v1": "secp256k1-2019-v1.json",
}


def main() -> None:
    manifest: dict[str, dict[str, str]] = {}
    index = json.loads((EXPORT / "index.json").read_text(encoding="utf-8"))
    for url, entry in sorted(index.items()):
        doc = json.loads((EXPORT / entry["file"]).read_text(encoding="utf-8"))
        manifest[url] = {
            "source": "npm",
            "package": entry["package"],
            "file": entry["file"],
            "sha256": canonical_sha256(doc),
        }
    for url, rel in sorted(PYPI_FILES.items()):
        path = CERT_SCHEMA / rel
        if not path.exists():
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        manifest[url] = {
            "source": "pypi",
            "package": "cert-schema",
            "file": rel,
            "sha256": canonical_sha256(doc),
        }
    if len(sys.argv) == 1 and (HERE / "manifest.json").exists():
        # No seed folder given: keep the reviewed seed pins as they are.
        previous = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
        manifest.update({u: e for u, e in previous.items() if e["source"] == "seed"})
    if len(sys.argv) > 1:
        seed_dir = Path(sys.argv[1])
        for url, name in sorted(SEED_FILES.items()):
            doc = json.loads((seed_dir / name).read_text(encoding="utf-8"))
            manifest[url] = {"source": "seed", "file": name, "sha256": canonical_sha256(doc)}
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(manifest)} contexts pinned")


if __name__ == "__main__":
    main()
