#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A minimal blocking HTTP/1.1 keep-alive client over one loopback socket, so the benchmark measures the
/// emulator rather than a heavyweight client library.
final class LoopbackClient {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private let fd: Int32
    private var buffer = [UInt8]()

    init(port: UInt16) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw Failure(description: "connect() to 127.0.0.1:\(port) failed") }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw Failure(description: "send() failed") }
            offset += sent
        }
    }

    /// Sends one request and reads the whole response; returns (status, body length).
    func request(_ head: String, body: [UInt8] = []) throws -> (status: Int, bytes: Int) {
        try write(Array(head.utf8) + body)
        return try readResponse()
    }

    /// Sends one request and returns the response body.
    func fetch(_ head: String) throws -> [UInt8] {
        try write(Array(head.utf8))
        var kept: [UInt8] = []
        _ = try readResponse(keep: &kept)
        return kept
    }

    func readResponse() throws -> (status: Int, bytes: Int) {
        var ignored: [UInt8]? = nil
        return try readResponse(keeping: &ignored)
    }

    private func readResponse(keep: inout [UInt8]) throws -> (status: Int, bytes: Int) {
        var kept: [UInt8]? = []
        let result = try readResponse(keeping: &kept)
        keep = kept ?? []
        return result
    }

    private func readResponse(keeping kept: inout [UInt8]?) throws -> (status: Int, bytes: Int) {
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = find([13, 10, 13, 10])
            if headerEnd == nil { try fill() }
        }
        let header = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + 4)
        let lines = header.split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "content-length" {
                length = Int(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        while buffer.count < length { try fill() }
        if kept != nil { kept = Array(buffer[0..<length]) }
        buffer.removeFirst(length)
        return (status, length)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: "connection closed by the emulator") }
        buffer.append(contentsOf: chunk[0..<count])
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for index in 0...(buffer.count - needle.count) where buffer[index] == needle[0] {
            if Array(buffer[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}
