import BatchEmulator
import Foundation
import Testing
import TestSupport

/// `response_format` / `text.format`: JSON requests get JSON that validates against the request's schema.
@Suite("Structured outputs")
struct StructuredOutputTests {
    /// Nested objects, arrays with minItems and uniqueItems, enums, const, bounds, formats, `$ref` into both
    /// `$defs` and `definitions`, anyOf, a type list, and a recursive node that only ends through its null branch.
    static let schemaText = #"""
    {
      "type": "object",
      "properties": {
        "ticket": {"$ref": "#/$defs/ticket"},
        "priority": {"type": "string", "enum": ["high", "medium", "low"]},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 12}, "minItems": 3, "uniqueItems": true},
        "score": {"type": "number", "minimum": 0.5, "maximum": 0.75},
        "count": {"type": "integer", "minimum": 3, "exclusiveMaximum": 5},
        "owner": {"anyOf": [{"$ref": "#/definitions/person"}, {"type": "null"}]},
        "note": {"type": ["string", "null"], "minLength": 40},
        "tree": {"$ref": "#/$defs/node"},
        "flags": {"type": "object", "properties": {"urgent": {"type": "boolean"}}, "required": ["urgent"],
                  "additionalProperties": false}
      },
      "required": ["ticket", "priority", "tags", "score", "count", "owner", "note", "tree", "flags"],
      "additionalProperties": false,
      "$defs": {
        "ticket": {
          "type": "object",
          "properties": {
            "id": {"type": "string", "minLength": 3, "maxLength": 8},
            "status": {"const": "open"},
            "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}, "minItems": 2}
          },
          "required": ["id", "status", "lines"],
          "additionalProperties": false
        },
        "line": {
          "type": "object",
          "properties": {
            "sku": {"type": "string", "format": "uuid"},
            "qty": {"type": "integer", "minimum": 1, "multipleOf": 4},
            "when": {"type": "string", "format": "date-time"}
          },
          "required": ["sku", "qty", "when"],
          "additionalProperties": false
        },
        "node": {
          "type": "object",
          "properties": {"label": {"type": "string"}, "child": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}},
          "required": ["label", "child"],
          "additionalProperties": false
        }
      },
      "definitions": {
        "person": {
          "type": "object",
          "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
          "required": ["name"]
        }
      }
    }
    """#

    static var schema: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(schemaText.utf8))) as? [String: Any] ?? [:]
    }

    static func chatBody(prompt: String, strict: Bool, model: String = "gpt-4o-mini") -> [String: Any] {
        ["model": model, "messages": [["role": "user", "content": prompt]],
         "response_format": ["type": "json_schema",
                             "json_schema": ["name": "ticket_report", "strict": strict, "schema": schema]]]
    }

    static func content(_ chat: [String: Any]) -> String? {
        (chat["choices"] as? [[String: Any]])?.first?.object("message").string("content")
    }

    @Test("chat json_schema: every answer parses and validates; strict adds the optional properties")
    func chatSchema() async throws {
        try await withEmulator { _, client async throws in
            var pairs: [(instance: String, schema: [String: Any])] = []
            var strictOwners: [[String: Any]] = []
            for index in 0..<20 {
                let strict = index % 2 == 0
                let response = try await client.send("POST", "/chat/completions",
                                                     json: Self.chatBody(prompt: "report ticket \(index)", strict: strict))
                #expect(response.status == 200, "\(response.text)")
                let choice = (response.json["choices"] as? [[String: Any]])?.first ?? [:]
                #expect(choice.string("finish_reason") == "stop")
                let text = try #require(Self.content(response.json))
                pairs.append((text, Self.schema))
                let parsed = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
                if strict, let owner = parsed["owner"] as? [String: Any] { strictOwners.append(owner) }
            }
            let errors = try SchemaCheck.errors(pairs)
            for (index, list) in errors.enumerated() { #expect(list.isEmpty, "answer \(index): \(list) in \(pairs[index].instance)") }
            #expect(!strictOwners.isEmpty && strictOwners.allSatisfy { $0["email"] is String },
                    "strict: all properties, the optional email too")
        }
    }

    @Test("responses text.format json_schema and chat json_object answer JSON; the format is echoed")
    func responsesAndJSONObject() async throws {
        try await withEmulator { _, client async throws in
            let response = try await client.send("POST", "/responses", json: [
                "model": "gpt-4.1-mini", "input": "report the ticket",
                "text": ["format": ["type": "json_schema", "name": "ticket_report", "strict": true, "schema": Self.schema]],
            ])
            #expect(response.status == 200, "\(response.text)")
            let output = (response.json["output"] as? [[String: Any]]) ?? []
            let message = try #require(output.first { $0.string("type") == "message" })
            let text = try #require((message["content"] as? [[String: Any]])?.first?.string("text"))
            #expect(try SchemaCheck.errors([(text, Self.schema)]) == [[]], "\(text)")
            let format = response.json.object("text").object("format")
            #expect(format.string("type") == "json_schema" && format.string("name") == "ticket_report")
            #expect(response.json.string("status") == "completed")

            let object = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "Answer in JSON please"]],
                "response_format": ["type": "json_object"],
            ])
            let objectText = try #require(Self.content(object.json))
            #expect((try? JSONSerialization.jsonObject(with: Data(objectText.utf8))) is [String: Any], "\(objectText)")

            let responsesObject = try await client.send("POST", "/responses", json: [
                "model": "gpt-4.1-mini", "input": "Reply with a JSON object", "text": ["format": ["type": "json_object"]],
            ])
            let objectOutput = (responsesObject.json["output"] as? [[String: Any]]) ?? []
            let objectMessage = objectOutput.first { $0.string("type") == "message" } ?? [:]
            let responsesText = (objectMessage["content"] as? [[String: Any]])?.first?.string("text") ?? ""
            #expect((try? JSONSerialization.jsonObject(with: Data(responsesText.utf8))) is [String: Any], "\(responsesText)")
        }
    }

    @Test("bad response formats are refused like the service refuses them", arguments: [
        (#"{"type":"json_schema"}"#, "response_format.json_schema"),
        (#"{"type":"json_schema","json_schema":{"schema":{"type":"object"}}}"#, "response_format.json_schema.name"),
        (#"{"type":"yaml"}"#, "response_format.type"),
        (#""json""#, "response_format"),
    ])
    func badFormats(format: String, param: String) async throws {
        try await withEmulator { _, client async throws in
            let formatValue = try JSONSerialization.jsonObject(with: Data(format.utf8), options: .fragmentsAllowed)
            let response = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "json"]], "response_format": formatValue,
            ])
            #expect(response.status == 400, "\(response.text)")
            #expect(response.errorParam == param)
        }
    }

    @Test("hostile schemas get a bounded answer and the emulator keeps serving", arguments: [
        ##"{"$ref": "#"}"##,
        ##"{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}"##,
        ##"{"type": "object", "required": ["n"], "properties": {"n": {"$ref": "#"}}}"##,
        ##"{"type": "array", "minItems": 1000, "items": {"type": "array", "minItems": 1000, "items": {"type": "array", "minItems": 1000}}}"##,
        ##"{"type": "string", "minLength": 1000000000000}"##,
        ##"{"type": "integer", "minimum": 1e300, "multipleOf": 9223372036854775807}"##,
        ##"{"type": "number", "exclusiveMinimum": 5, "maximum": 1}"##,
        ##"{"type": "object", "minProperties": 1000000, "additionalProperties": {"$ref": "#/nowhere"}}"##,
        ##"{"$ref": "https://example.com/schema.json"}"##,
        ##"{"allOf": [{"$ref": "#"}], "anyOf": [{"$ref": "#"}]}"##,
    ])
    func hostileSchemas(schema: String) async throws {
        try await withEmulator { _, client async throws in
            let parsed = try JSONSerialization.jsonObject(with: Data(schema.utf8))
            let response = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]],
                "response_format": ["type": "json_schema", "json_schema": ["name": "h", "schema": parsed]],
            ])
            #expect(response.status == 200, "\(response.text.prefix(300))")
            #expect((try? JSONSerialization.jsonObject(with: Data(Self.content(response.json)?.utf8 ?? "".utf8),
                                                       options: .fragmentsAllowed)) != nil)
            #expect(try await client.send("GET", "/batches").status == 200, "still serving")
        }
    }

    @Test("json_object needs the word JSON in the messages, as the service requires")
    func jsonObjectNeedsTheWord() async throws {
        try await withEmulator { _, client async throws in
            let response = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "hello"]],
                "response_format": ["type": "json_object"],
            ])
            #expect(response.status == 400 && response.errorParam == "messages", "\(response.text)")
        }
    }

    @Test("batch lines with response_format get schema-valid answers in the output file; a bad format is a 400 line")
    func batchSchema() async throws {
        try await withEmulator(configure: { $0.requestFailureRate = 0 }) { harness, client async throws in
            var lines: [String] = []
            for index in 1...12 {
                let line: [String: Any] = ["custom_id": "s-\(index)", "method": "POST", "url": "/v1/chat/completions",
                                           "body": Self.chatBody(prompt: "ticket \(index)", strict: index % 2 == 0)]
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self))
            }
            lines.append(#"{"custom_id":"bad","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}}"#)
            let id = try #require(try await client.submit(lines).string("id"))
            harness.advance(seconds: 90_000)
            let batch = try await client.batch(id)
            #expect(batch.string("status") == "completed")
            #expect(batch.object("request_counts").int("completed") == 12)
            #expect(batch.object("request_counts").int("failed") == 1)
            let output = try await client.content(try #require(batch.string("output_file_id")))
            #expect(output.count == 12)
            let texts = output.compactMap { Self.content($0.object("response").object("body")) }
            #expect(texts.count == 12)
            let errors = try SchemaCheck.errors(texts.map { ($0, Self.schema) })
            for (index, list) in errors.enumerated() { #expect(list.isEmpty, "line \(index): \(list) in \(texts[index])") }
            let errorLines = try await client.content(try #require(batch.string("error_file_id")))
            let bad = try #require(errorLines.first { $0.string("custom_id") == "bad" })
            #expect(bad.object("response").int("status_code") == 400)
            #expect(bad.object("response").object("body").object("error").string("param") == "response_format.json_schema")
        }
    }
}
