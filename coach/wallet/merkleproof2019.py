"""The MerkleProof2019 ``proofValue`` codec (W3C CCG "Merkle Proof 2019", as
Blockcerts v3 issues it).

``proofValue`` is multibase base58btc (``z`` prefix) of CBOR. The CBOR value is
an array of ``[key, value]`` pairs, not a map:

    0 merkleRoot  bytes holding a CBOR-encoded hash
    1 targetHash  bytes holding a CBOR-encoded hash (of the document)
    2 anchors     array of anchors, each an array of pairs
                  [0, chain id] [1, network id] [2, bytes holding a CBOR-encoded tx hash]
    3 path        flat array of pairs [0 (left) | 1 (right), bytes holding a CBOR-encoded hash]

Pairs may come in any order. Each hash is CBOR-encoded twice: the inner item is
the hash's hex as a text string (what cert-issuer writes today) or its raw
bytes (the first JavaScript encoder); both are read. Chain ids: 0 btc (networks
1 mainnet, 3 testnet), 1 eth (1 mainnet, 3 ropsten, 4 rinkeby, 5 goerli,
11155111 sepolia), -1 mocknet (-1). Anchors decode to blink URIs (``blink:btc:testnet:<txid>``).

``encode_proof_value`` is the inverse (for issuers and tests); both are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import base58
import cbor2

#: A proofValue longer than this is not a Merkle receipt (base58 decoding is quadratic).
MAX_PROOF_VALUE_CHARS = 8192
#: A Merkle path this long would mean a tree of 2**64 certificates.
MAX_PATH_STEPS = 64
MAX_ANCHORS = 16

_ROOT_KEYS = {0: "merkleRoot", 1: "targetHash", 2: "anchors", 3: "path"}
_SIDES = {0: "left", 1: "right"}
#: Chain id -> (blink code, network id -> network name).
_CHAINS: dict[int, tuple[str, dict[int, str]]] = {
    0: ("btc", {1: "mainnet", 3: "testnet"}),
    1: (
        "eth",
        {1: "mainnet", 3: "ropsten", 4: "rinkeby", 5: "goerli", 11155111: "sepolia"},
    ),
    -1: ("mocknet", {-1: "mocknet"}),  # test issuances: never a real anchor
}
_CHAIN_IDS = {code: chain_id for chain_id, (code, _) in _CHAINS.items()}


class ProofValueError(ValueError):
    """The proofValue is not a readable MerkleProof2019 receipt."""


@dataclass(frozen=True)
class MerkleReceipt:
    """A decoded receipt: hex hashes, path steps as (side, hex), anchors as blink URIs."""

    merkle_root: str
    target_hash: str
    path: tuple[tuple[str, str], ...]
    anchors: tuple[str, ...]


def _unwrap_hash(value: Any, what: str) -> str:
    """The hex of a hash stored as bytes holding a CBOR item: the hash's hex as a
    text string (what cert-issuer writes) or its raw bytes (the first JS encoder)."""
    if not isinstance(value, bytes):
        raise ProofValueError(f"{what} is not a byte string")
    try:
        inner = cbor2.loads(value)
    except (cbor2.CBORError, ValueError, TypeError, EOFError) as exc:
        raise ProofValueError(f"{what} is not CBOR-wrapped") from exc
    if isinstance(inner, bytes) and inner:
        return inner.hex()
    if isinstance(inner, str) and inner:
        text = inner.removeprefix("0x").lower()
        try:
            bytes.fromhex(text)
        except ValueError as exc:
            raise ProofValueError(f"{what} is not hexadecimal") from exc
        return text
    raise ProofValueError(f"{what} wraps neither a hex string nor bytes")


def _pairs(value: Any, what: str) -> list[tuple[int, Any]]:
    if not isinstance(value, list):
        raise ProofValueError(f"{what} is not an array of pairs")
    out: list[tuple[int, Any]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
            raise ProofValueError(f"{what} holds something other than [key, value] pairs")
        out.append((item[0], item[1]))
    return out


def _anchor(value: Any) -> str:
    fields = dict(_pairs(value, "an anchor"))
    chain_id, network_id = fields.get(0), fields.get(1)
    if type(chain_id) is not int or chain_id not in _CHAINS:
        raise ProofValueError(f"unknown anchor chain id {chain_id!r}")
    code, networks = _CHAINS[chain_id]
    if type(network_id) is not int or network_id not in networks:
        raise ProofValueError(f"unknown {code} network id {network_id!r}")
    tx = _unwrap_hash(fields.get(2), "the anchor's transaction id")
    return f"blink:{code}:{networks[network_id]}:{tx}"


def decode_proof_value(proof_value: Any) -> MerkleReceipt:
    """Decode a MerkleProof2019 proofValue; raises ProofValueError."""
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise ProofValueError("proofValue is not multibase base58btc ('z' prefix)")
    if len(proof_value) > MAX_PROOF_VALUE_CHARS:
        raise ProofValueError("proofValue is far too long for a Merkle receipt")
    try:
        raw = base58.b58decode(proof_value[1:])
    except ValueError as exc:
        raise ProofValueError("proofValue is not base58") from exc
    try:
        decoded = cbor2.loads(raw)
    except (cbor2.CBORError, ValueError, TypeError, EOFError, RecursionError) as exc:
        raise ProofValueError(f"proofValue is not CBOR: {exc}") from exc
    fields: dict[str, Any] = {}
    for key, value in _pairs(decoded, "the receipt"):
        name = _ROOT_KEYS.get(key)
        if name is None:
            raise ProofValueError(f"unknown receipt key {key}")
        fields[name] = value
    missing = [name for name in _ROOT_KEYS.values() if name not in fields]
    if missing:
        raise ProofValueError("the receipt lacks " + ", ".join(missing))
    steps = _pairs(fields["path"], "the path")
    if len(steps) > MAX_PATH_STEPS:
        raise ProofValueError("the Merkle path is implausibly long")
    path: list[tuple[str, str]] = []
    for side, value in steps:
        if side not in _SIDES:
            raise ProofValueError(f"a path step is neither left nor right ({side})")
        path.append((_SIDES[side], _unwrap_hash(value, "a path hash")))
    anchors = fields["anchors"]
    if not isinstance(anchors, list) or not anchors or len(anchors) > MAX_ANCHORS:
        raise ProofValueError("the receipt names no anchors (or too many)")
    return MerkleReceipt(
        merkle_root=_unwrap_hash(fields["merkleRoot"], "merkleRoot"),
        target_hash=_unwrap_hash(fields["targetHash"], "targetHash"),
        path=tuple(path),
        anchors=tuple(_anchor(a) for a in anchors),
    )


def _wrap(hex_value: str) -> bytes:
    return cbor2.dumps(hex_value.removeprefix("0x").lower())


def encode_proof_value(receipt: MerkleReceipt) -> str:
    """The proofValue of a receipt (inverse of decode_proof_value)."""
    anchors = []
    for uri in receipt.anchors:
        _, code, network, tx = uri.split(":")
        chain_id = _CHAIN_IDS[code]
        network_id = next(k for k, v in _CHAINS[chain_id][1].items() if v == network)
        anchors.append([[0, chain_id], [1, network_id], [2, _wrap(tx)]])
    path = [[0 if side == "left" else 1, _wrap(value)] for side, value in receipt.path]
    value = [
        [3, path],
        [0, _wrap(receipt.merkle_root)],
        [1, _wrap(receipt.target_hash)],
        [2, anchors],
    ]
    return "z" + base58.b58encode(cbor2.dumps(value)).decode("ascii")
