#!/usr/bin/env python3
"""Drive a running emulator with the official OpenAI Python SDK, strict response validation on.

Usage (from the repository root):
    python3 -m venv /tmp/oai && /tmp/oai/bin/pip install openai jsonschema
    swift run batchtop emulator --port 8787 --control &
    /tmp/oai/bin/python scripts/sdk_check.py http://127.0.0.1:8787

Exits non-zero on the first mismatch. Needs --control (it advances the simulated clock and sets faults).
"""
import enum
import io
import json
import sys
from typing import List, Optional

import urllib.parse
import urllib.request
import jsonschema
import openai
import pydantic
from openai import OpenAI

root = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8787"
PROJECT, ADMIN = "sk-emulator-project", "sk-emulator-admin"
client = OpenAI(base_url=root + "/v1", api_key=PROJECT, _strict_response_validation=True, max_retries=2)


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def control(method, path, body=None):
    return http(method, root + "/_emulator" + path, body)


def admin_get(path, params):
    query = urllib.parse.urlencode(params, doseq=True)
    return http("GET", root + "/v1" + path + ("?" + query if query else ""), headers={"Authorization": "Bearer " + ADMIN})


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


def jsonl(lines):
    return io.BytesIO(("\n".join(json.dumps(line) for line in lines) + "\n").encode())


chat_lines = [{"custom_id": f"c-{i}", "method": "POST", "url": "/v1/chat/completions",
               "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "summarise ticket %d" % i}]}}
              for i in range(30)]
resp_lines = [{"custom_id": f"r-{i}", "method": "POST", "url": "/v1/responses",
               "body": {"model": "gpt-5-mini", "input": "classify item %d" % i}} for i in range(12)]

# Files
f = client.files.create(file=("chat.jsonl", jsonl(chat_lines)), purpose="batch",
                        expires_after={"anchor": "created_at", "seconds": 7200})
check(f.purpose == "batch" and f.expires_at == f.created_at + 7200, "upload with expires_after")
g = client.files.create(file=("resp.jsonl", jsonl(resp_lines)), purpose="batch")
check(client.files.retrieve(f.id).bytes == f.bytes, "retrieve file")
check(any(x.id == g.id for x in client.files.list(purpose="batch")), "list files")

# Batches: create, list all pages, retrieve
b1 = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h",
                           metadata={"workload": "sdk-check"})
check(b1.status == "validating" and b1.request_counts.total == 0, "create batch (validating)")
b2 = client.batches.create(input_file_id=g.id, endpoint="/v1/responses", completion_window="24h")
b3 = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
seen = [b.id for b in client.batches.list(limit=7)]
check(len(seen) == len(set(seen)) and {b1.id, b2.id, b3.id} <= set(seen), "auto-paginate %d batches" % len(seen))
check(client.batches.retrieve(b1.id).id == b1.id, "retrieve batch")

# Cancel
c = client.batches.cancel(b3.id)
check(c.status == "cancelling" and c.cancelling_at is not None, "cancel -> cancelling")

control("POST", "/clock/advance", {"seconds": 26 * 3600})
done1, done2, gone = (client.batches.retrieve(x.id) for x in (b1, b2, b3))
check(done1.status == "completed" and done2.status == "completed", "batches completed after 26 h")
check(gone.status == "cancelled" and gone.cancelled_at is not None, "cancelled")

# Content and usage from both shapes
for batch, shape in ((done1, "chat"), (done2, "responses")):
    lines = [json.loads(x) for x in client.files.content(batch.output_file_id).text.splitlines()]
    if batch.error_file_id:
        lines_err = client.files.content(batch.error_file_id).text.splitlines()
    else:
        lines_err = []
    check(len(lines) + len(lines_err) == batch.request_counts.total, f"{shape}: every request answered once")
    usage = [x["response"]["body"]["usage"] for x in lines]
    key_in, key_out = ("prompt_tokens", "completion_tokens") if shape == "chat" else ("input_tokens", "output_tokens")
    check(sum(u[key_in] for u in usage) == batch.usage.input_tokens, f"{shape}: Batch.usage.input_tokens = sum of lines")
    check(sum(u[key_out] for u in usage) == batch.usage.output_tokens, f"{shape}: Batch.usage.output_tokens = sum of lines")

# Real-time lane
chat = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
check(chat.usage.total_tokens == chat.usage.prompt_tokens + chat.usage.completion_tokens, "chat.completions")
r = client.responses.create(model="gpt-5-mini", input="hello")
check(r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens and r.output_text, "responses")
e = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"], dimensions=8, encoding_format="float")
check(len(e.data) == 2 and len(e.data[0].embedding) == 8, "embeddings (float)")
# The SDK's default base64 encoding cannot pass its own strict validation (a string where it expects floats,
# before its decoder runs), against the live service too; check the base64 path with a lenient client.
lenient = OpenAI(base_url=root + "/v1", api_key=PROJECT)
e = lenient.embeddings.create(model="text-embedding-3-small", input=["a", "b"], dimensions=8)
check(len(e.data[1].embedding) == 8 and all(-1 <= x <= 1 for x in e.data[1].embedding), "embeddings (base64, decoded by the SDK)")

# Structured outputs: the SDK's own strict parsing (pydantic models sent as strict JSON schemas), then a
# hand-written schema with $defs, enums, bounds and formats checked by jsonschema.
class Priority(str, enum.Enum):
    high = "high"
    low = "low"


class Line(pydantic.BaseModel):
    sku: str
    qty: int


class Node(pydantic.BaseModel):
    label: str
    child: Optional["Node"]


class Report(pydantic.BaseModel):
    summary: str
    priority: Priority
    lines: List[Line]
    owner: Optional[str]
    tree: Node


parsed = client.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": "report"}],
                                       response_format=Report)
check(isinstance(parsed.choices[0].message.parsed, Report), "chat.completions.parse into a pydantic model")
parsed = client.responses.parse(model="gpt-4.1-mini", input="report", text_format=Report)
check(isinstance(parsed.output_parsed, Report) and parsed.text.format.type == "json_schema",
      "responses.parse into a pydantic model, format echoed")
schema = {
    "type": "object", "additionalProperties": False,
    "properties": {"ticket": {"$ref": "#/$defs/ticket"}, "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                   "score": {"type": "number", "minimum": 0, "maximum": 1}, "kind": {"enum": ["refund", "question"]},
                   "when": {"type": "string", "format": "date-time"}},
    "required": ["ticket", "tags", "score", "kind", "when"],
    "$defs": {"ticket": {"type": "object", "additionalProperties": False, "required": ["id", "open"],
                         "properties": {"id": {"type": "string", "minLength": 4}, "open": {"type": "boolean"}}}},
}
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
answers = [client.chat.completions.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "ticket %d" % i}],
    response_format={"type": "json_schema", "json_schema": {"name": "ticket", "strict": True, "schema": schema}})
    for i in range(20)]
bad = [a.choices[0].message.content for a in answers if list(validator.iter_errors(json.loads(a.choices[0].message.content)))]
check(not bad, "20 json_schema answers validate (jsonschema, formats checked)")
mode = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "reply in JSON"}],
                                      response_format={"type": "json_object"})
check(isinstance(json.loads(mode.choices[0].message.content), dict), "json_object answers a JSON object")
try:
    client.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": "report"}],
                                  response_format=Report, max_completion_tokens=5)
    check(False, "a cut structured answer raises")
except openai.LengthFinishReasonError as error:
    check(error.completion.usage.completion_tokens == 5, "max_completion_tokens=5 -> LengthFinishReasonError, 5 tokens")
cut = client.responses.create(model="gpt-4.1-mini", input="write an essay", max_output_tokens=16)
check(cut.status == "incomplete" and cut.incomplete_details.reason == "max_output_tokens" and cut.usage.output_tokens == 16,
      "max_output_tokens=16 -> incomplete, 16 output tokens")
chat_text = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}])
check(chat_text.usage.completion_tokens == (len(chat_text.choices[0].message.content.encode()) + 3) // 4,
      "completion_tokens follow the text (%d tokens)" % chat_text.usage.completion_tokens)

# Structured outputs through the batch lane.
schema_lines = [{"custom_id": f"s-{i}", "method": "POST", "url": "/v1/chat/completions",
                 "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "ticket %d" % i}],
                          "response_format": {"type": "json_schema", "json_schema": {"name": "ticket", "strict": True, "schema": schema}}}}
                for i in range(8)]
sf = client.files.create(file=("schema.jsonl", jsonl(schema_lines)), purpose="batch")
sb = client.batches.create(input_file_id=sf.id, endpoint="/v1/chat/completions", completion_window="24h")
control("POST", "/clock/advance", {"seconds": 26 * 3600})
sb = client.batches.retrieve(sb.id)
out = [json.loads(x) for x in client.files.content(sb.output_file_id).text.splitlines()] if sb.output_file_id else []
contents = [x["response"]["body"]["choices"][0]["message"]["content"] for x in out]
check(contents and all(not list(validator.iter_errors(json.loads(c))) for c in contents),
      "batch: %d json_schema answers in the output file validate" % len(contents))

# Organisation endpoints (admin key, raw GET)
start = done1.created_at - 86400
page = admin_get("/organization/usage/completions", {"start_time": start, "group_by[]": ["batch", "model"]})
check(page["object"] == "page" and any(r["batch"] for b in page["data"] for r in b["results"]), "usage completions grouped by batch")
costs = admin_get("/organization/costs", {"start_time": start, "group_by[]": "line_item"})
check(any(r["amount"]["value"] > 0 for b in costs["data"] for r in b["results"]), "costs by line item")
limits = admin_get("/organization/projects/proj_emulator/rate_limits", {})
check(all("batch_1_day_max_input_tokens" in x for x in limits["data"]), "rate limits")

# The same through the SDK's typed admin resources (strict validation of every bucket and result).
admin = OpenAI(base_url=root + "/v1", api_key=PROJECT, admin_api_key=ADMIN, _strict_response_validation=True)
usage = admin.admin.organization.usage.completions(start_time=start, group_by=["batch", "model", "project_id"], limit=2)
check(usage.object == "page" and len(usage.data) == 2, "SDK usage.completions")
pages = 1
while usage.has_more:
    usage = admin.admin.organization.usage.completions(start_time=start, group_by=["batch"], limit=1, page=usage.next_page)
    pages += 1
check(pages >= 2, "SDK usage.completions paged with next_page (%d pages)" % pages)
emb = admin.admin.organization.usage.embeddings(start_time=start, group_by=["model"])
check(emb.object == "page", "SDK usage.embeddings")
cost = admin.admin.organization.usage.costs(start_time=start, group_by=["line_item", "project_id"], limit=5)
check(all(r.amount.currency == "usd" for b in cost.data for r in b.results), "SDK usage.costs")
rl = list(admin.admin.organization.projects.rate_limits.list_rate_limits("proj_emulator", limit=5))
check(len(rl) > 5 and all(x.object == "project.rate_limit" for x in rl), "SDK rate_limits, %d over pages" % len(rl))

# Errors
try:
    OpenAI(base_url=root + "/v1", api_key="sk-wrong").batches.list()
    check(False, "wrong key refused")
except openai.AuthenticationError:
    check(True, "wrong key -> AuthenticationError")
try:
    client.batches.retrieve("batch_missing")
    check(False, "404")
except openai.NotFoundError:
    check(True, "unknown batch -> NotFoundError")
try:
    client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="48h")
    check(False, "bad window")
except openai.BadRequestError as error:
    check(error.body.get("param") == "completion_window", "bad window -> 400 param completion_window")
try:
    client.files.create(file=("x.jsonl", jsonl(chat_lines[:1])), purpose="batch",
                        expires_after={"anchor": "last_active_at", "seconds": 7200})
    check(False, "bad expires_after anchor")
except openai.BadRequestError as error:
    check(error.body.get("param") == "expires_after.anchor", "expires_after anchor last_active_at -> 400 param expires_after.anchor")
try:
    client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h",
                          output_expires_after={"anchor": "created_at", "seconds": 60})
    check(False, "bad output_expires_after seconds")
except openai.BadRequestError as error:
    check(error.body.get("param") == "output_expires_after.seconds", "output_expires_after 60 s -> 400 param output_expires_after.seconds")

# Faults: a 429 with Retry-After is retried by the SDK; a lost create response is an error but the batch exists.
control("POST", "/faults", {"kind": "status", "status": 429, "retry_after": 1, "endpoint": "GET /v1/batches", "count": 1})
check(len(client.batches.list(limit=2).data) == 2, "429 + Retry-After retried transparently")
before = control("GET", "/counters")["batches_created"]
try:
    control("POST", "/faults", {"kind": "lost_response", "endpoint": "POST /v1/batches", "count": 1})
    client.with_options(max_retries=0).batches.create(input_file_id=f.id, endpoint="/v1/chat/completions",
                                                      completion_window="24h", metadata={"job": "lost-1"})
    check(False, "lost response raised")
except openai.APIConnectionError:
    after = control("GET", "/counters")["batches_created"]
    check(after == before + 1, "lost response: connection error, batch created anyway")

check(client.files.delete(g.id).deleted, "delete file")
print("ALL OK with openai", openai.__version__)
