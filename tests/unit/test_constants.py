"""HS203 is opt-in; repo ids and tokens are traced through a name bound once to a literal."""

from __future__ import annotations

import json
import subprocess
import sys

from hubsave.analysis import Settings, analyze

SCRIPT = '''\
from huggingface_hub import HfApi, login
from transformers import AutoModelForCausalLM

name = "your_hf_account/x"
model_token = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-0.5B")
model.push_to_hub(name)
api = HfApi(token=model_token)


def main():
    model.push_to_hub(name, token=model_token)
    login(model_token)
'''


def _found(text: str, settings: Settings | None = None) -> list[tuple[int, str]]:
    return [(f.span.start_line + 1, f.code) for f in analyze(text, "train.py", settings).findings]


def test_uppercase_repo_names_are_not_reported_by_default():
    text = 'from trl import SFTConfig\nSFTConfig(output_dir="o", push_to_hub=True, hub_model_id="alice/codegen-350M-mbpp")\n'
    assert _found(text) == []
    assert _found(text, Settings(select=frozenset({"HS203"}))) == [(2, "HS203")]


def test_module_constants_reach_repo_id_and_token_rules():
    assert _found(SCRIPT) == [
        (4, "HS204"),  # the literal, once, for both pushes (module level and in main)
        (8, "HS402"),  # where the placeholder is passed as the token
        (12, "HS402"),
        (13, "HS402"),
    ]


def test_traced_token_is_removed_where_it_is_passed_and_never_echoed():
    findings = [f for f in analyze(SCRIPT, "train.py").findings if f.code == "HS402"]
    assert [f.fix.title for f in findings] == [
        "Remove token= (use the login or HF_TOKEN)",
        "Remove token= (use the login or HF_TOKEN)",
        "Call login() without the token",
    ]
    for finding in findings:
        assert "hf_x" not in finding.message and "hf_x" not in finding.fix.title


def test_a_name_bound_twice_or_a_parameter_is_not_traced():
    text = '''\
from huggingface_hub import HfApi
TOKEN = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
TOKEN = TOKEN if TOKEN else None
repo = "username/a"
repo = "alice/a"

def push(model, repo, token=TOKEN):
    model.push_to_hub(repo)
    HfApi(token=token)

def other(model):
    model.push_to_hub(repo)
    HfApi(token=TOKEN)
'''
    assert _found(text) == []


def test_real_token_through_a_name_is_reported_once_without_echo(tmp_path):
    token = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"  # made up
    script = tmp_path / "t.py"
    script.write_text(f'from huggingface_hub import HfApi\nmy_token = "{token}"\napi = HfApi(token=my_token)\n')
    run = subprocess.run([sys.executable, "-m", "hubsave", "check", "--format", "json", str(script)],
                         capture_output=True, text=True)
    assert [(r["code"], r["line"]) for r in json.loads(run.stdout)] == [("HS401", 2)]
    assert token not in run.stdout + run.stderr


def test_fix_all_removes_the_traced_token_where_it_is_passed():
    from hubsave.fixes.apply import fix_all

    fixed, applied = fix_all(SCRIPT, "train.py", Settings(unsafe_fixes=True))  # removing token= is unsafe
    assert [f.code for f in applied] == ["HS402", "HS402", "HS402"]
    assert "api = HfApi()\n" in fixed and "model.push_to_hub(name)\n    login()\n" in fixed
    assert 'model_token = "hf_x' in fixed  # the binding itself is left for the user to delete


def test_a_suppression_on_the_use_silences_the_traced_finding():
    text = SCRIPT.replace("api = HfApi(token=model_token)", "api = HfApi(token=model_token)  # hubsave: ignore[HS402]")
    assert (8, "HS402") not in _found(text) and (12, "HS402") in _found(text)


def test_names_passed_as_tokens_are_found_in_every_kind_of_statement():
    # Only the statements spanning a line where `token=NAME` / `login(NAME)` starts are
    # walked: one in a decorator, a compound statement's header, a nested clause, and a
    # keyword written across lines are all still found; `token = int(x)` is not a site.
    text = '''\
from huggingface_hub import HfApi, login, snapshot_download

TOKEN = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"


def retry(**kwargs):
    return lambda f: f


@retry(api=HfApi(token=TOKEN))
def fetch(batch):
    try:
        token = int(batch)
    except ValueError:
        if login(TOKEN):
            pass
    else:
        for _ in range(3):
            snapshot_download("Qwen/Qwen2.5-0.5B", token
                              =
                              TOKEN)
    return token
'''
    assert [line for line, code in _found(text) if code == "HS402"] == [10, 15, 21]
