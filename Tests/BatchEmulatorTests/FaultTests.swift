import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Faults and the control API")
struct FaultTests {
    @Test("status faults answer with the error body; 429 carries Retry-After", arguments: [429, 500, 503])
    func statusFaults(status: Int) async throws {
        try await withEmulator { harness, client async throws in
            harness.faults.add(FaultRule(.status(status, retryAfter: status == 429 ? 3 : nil), endpoint: "GET /v1/batches", count: 1))
            let faulted = try await client.send("GET", "/batches")
            #expect(faulted.status == status)
            #expect(faulted.json["error"] != nil)
            #expect(faulted.header("Retry-After") == (status == 429 ? "3" : nil))
            #expect(try await client.send("GET", "/batches").status == 200, "a count-1 fault is used up")
            #expect(try await client.send("GET", "/files").status == 200, "other endpoints untouched")
        }
    }

    @Test("latency delays but answers; counters see every request")
    func latency() async throws {
        try await withEmulator { harness, client async throws in
            harness.faults.add(FaultRule(.latency(milliseconds: 50), endpoint: nil, count: 2))
            #expect(try await client.send("GET", "/batches").status == 200)
            #expect(try await client.send("GET", "/files").status == 200)
            #expect(harness.faults.active.isEmpty)
            let counters = harness.counters()
            #expect(counters["GET /v1/batches"] == 1)
            #expect(counters["GET /v1/files"] == 1)
        }
    }

    @Test("a dropped connection reaches the client as a transport error")
    func drop() async throws {
        try await withEmulator { harness, client async throws in
            harness.faults.add(FaultRule(.dropConnection, endpoint: "GET /v1/batches/{id}", count: 1))
            await #expect(throws: (any Error).self) { _ = try await client.send("GET", "/batches/batch_x") }
            #expect(try await client.send("GET", "/batches/batch_x").status == 404, "the server keeps serving")
        }
    }

    @Test("a malformed body is not JSON")
    func malformed() async throws {
        try await withEmulator { harness, client async throws in
            harness.faults.add(FaultRule(.malformedBody, endpoint: "GET /v1/batches", count: 1))
            let response = try await client.send("GET", "/batches")
            #expect(response.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: response.body)) == nil)
        }
    }

    @Test("a lost create response: the caller sees an error, the batch exists", arguments: [nil, 502] as [Int?])
    func lostResponse(status: Int?) async throws {
        try await withEmulator { harness, client async throws in
            let file = try await client.uploadLines(Lines.chat(2))
            harness.faults.add(FaultRule(.lostResponse(status: status), endpoint: "POST /v1/batches", count: 1))
            let body: [String: Any] = ["input_file_id": file, "endpoint": "/v1/chat/completions", "completion_window": "24h",
                                       "metadata": ["job": "j-1"]]
            if let status {
                #expect(try await client.send("POST", "/batches", json: body).status == status)
            } else {
                await #expect(throws: (any Error).self) { _ = try await client.send("POST", "/batches", json: body) }
            }
            let listed = (try await client.send("GET", "/batches").json["data"] as? [[String: Any]]) ?? []
            #expect(listed.count == 1)
            #expect(listed.first?.object("metadata").string("job") == "j-1")
            #expect(harness.counters().batchesCreated == 1)
        }
    }

    @Test("the control API advances time, sets and clears faults, reads counters")
    func controlAPI() async throws {
        try await withEmulator { harness, client async throws in
            let before = try #require(try await client.send("GET", "/_emulator/clock", root: true).json.int("now"))
            let advanced = try await client.send("POST", "/_emulator/clock/advance", json: ["seconds": 3600], root: true)
            #expect(advanced.json.int("now") == before + 3600)
            let set = try await client.send("POST", "/_emulator/faults", json: [
                "rules": [["kind": "status", "status": 503, "endpoint": "GET /v1/files", "count": 2],
                          ["kind": "latency", "milliseconds": 1]],
            ], root: true)
            #expect((set.json["data"] as? [Any])?.count == 2)
            #expect(try await client.send("GET", "/files").status == 503)
            let bad = try await client.send("POST", "/_emulator/faults", json: ["kind": "explode"], root: true)
            #expect(bad.status == 400 && bad.errorParam == "kind")
            #expect(try await client.send("DELETE", "/_emulator/faults", root: true).status == 200)
            #expect(harness.faults.active.isEmpty)
            #expect(try await client.send("GET", "/files").status == 200)
            let counters = try await client.send("GET", "/_emulator/counters", root: true).json
            #expect(counters.object("requests").int("GET /v1/files") == 2)
            #expect(counters.int("batches_created") == 0)
        }
    }
}
