import FlyingFox
import Foundation

extension EmulatorHandler {
    /// `/_emulator/*`: move the clock, set faults, read counters. Only routed when `controlEnabled`.
    func control(_ route: Route, _ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
        switch route.endpoint {
        case .controlClock:
            return Self.json(clockJSON())
        case .controlAdvance:
            let body = try await Self.jsonBody(request)
            guard let seconds = (body["seconds"] as? NSNumber)?.doubleValue, seconds >= 0, seconds.isFinite else {
                throw APIError.invalid("'seconds' must be a number of simulated seconds >= 0.", param: "seconds")
            }
            engine.clock.advance(seconds: seconds)
            _ = try engine.withWorld { $0.now }
            return Self.json(clockJSON())
        case .controlFaults:
            return Self.json(faultsJSON())
        case .controlAddFault:
            let body = try await Self.jsonBody(request)
            let items = (body["rules"] as? [[String: Any]]) ?? [body]
            var rules: [FaultRule] = []
            for item in items { rules.append(try FaultRule.parse(item)) }
            rules.forEach(engine.faults.add)
            return Self.json(faultsJSON())
        case .controlClearFaults:
            await Self.drain(request)
            engine.faults.clear()
            return Self.json(faultsJSON())
        case .controlCounters:
            return Self.json(engine.counters().json)
        default:
            throw APIError(status: 404, message: "Invalid URL (\(request.method.rawValue) \(request.path))")
        }
    }

    private func clockJSON() -> JSON {
        let speed: Double
        if case .accelerated(let value) = engine.clock.mode { speed = value } else { speed = 0 }
        return .object([("now", .int(engine.clock.now())), ("mode", .string(speed == 0 ? "manual" : "accelerated")),
                        ("speed", .double(speed))])
    }

    private func faultsJSON() -> JSON {
        .object([("object", .string("list")), ("data", .array(engine.faults.active.map(\.json)))])
    }
}
