from __future__ import annotations

import hmac

import pytest

from barometre.core import tokens

KEY = b"k" * 32


def test_token_has_at_least_128_bits_of_randomness_and_a_public_prefix() -> None:
    t = tokens.new_token(KEY)
    assert tokens.SECRET_BYTES * 8 >= 128
    assert len(t.token) == tokens.TOKEN_LENGTH
    assert t.token.startswith(t.prefix) and len(t.prefix) == tokens.PREFIX_LENGTH
    assert tokens.is_well_formed(t.token)


def test_only_a_keyed_hash_is_stored_and_it_matches() -> None:
    t = tokens.new_token(KEY)
    assert t.token not in t.digest
    assert tokens.matches(t.token, t.digest, KEY)
    assert not tokens.matches(t.token, t.digest, b"another key" * 3)
    tampered = t.token[:-1] + ("A" if t.token[-1] != "A" else "B")
    assert not tokens.matches(tampered, t.digest, KEY)


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    t = tokens.new_token(KEY)
    assert tokens.matches(t.token, t.digest, KEY)
    assert len(calls) == 1


@pytest.mark.parametrize("bad", ["", "short", "x" * 39, "x" * 41, "a" * 39 + "/", "é" * 40])
def test_malformed_tokens_are_recognised(bad: str) -> None:
    assert not tokens.is_well_formed(bad)


def test_tokens_are_unique() -> None:
    assert len({tokens.new_token(KEY).token for _ in range(200)}) == 200
