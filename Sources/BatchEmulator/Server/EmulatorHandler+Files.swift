import FlyingFox
import Foundation

extension EmulatorHandler {
    static let filePurposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]

    /// `POST /v1/files`: multipart streamed straight to disk, fields checked like the service.
    func uploadFile(_ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
        let config = engine.config
        if let count = request.bodySequence.count, Int64(count) > config.maxUploadBytes + 64 * 1024 {
            await Self.drain(request)
            throw APIError(status: 413, message: "The file is larger than the \(config.maxUploadBytes)-byte upload limit.", param: "file")
        }
        guard let boundary = MultipartParser.boundary(fromContentType: request.headers[.contentType]) else {
            await Self.drain(request)
            throw APIError.invalid("Uploads must be multipart/form-data with a boundary.", param: "file")
        }
        let temporary = engine.directory.appendingPathComponent("upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary) else {
            await Self.drain(request)
            throw APIError(status: 500, message: "The emulator could not create a temporary file.", type: "server_error")
        }
        var parser = MultipartParser(boundary: boundary)
        var fields: [String: String] = [:]
        var currentName: String?
        var currentValue = Data()
        var filename: String?
        var fileBytes: Int64 = 0
        var sawFile = false
        var failure: APIError?
        do {
            for try await chunk in request.bodySequence {
                if failure != nil { continue }
                do {
                    try parser.feed(chunk) { event in
                        switch event {
                        case .partStart(let name, let file):
                            currentName = name
                            currentValue = Data()
                            if name == "file" {
                                guard !sawFile else { throw APIError.invalid("Only one 'file' part is allowed.", param: "file") }
                                sawFile = true
                                filename = file ?? "upload"
                            }
                        case .partData(let data):
                            if currentName == "file" {
                                fileBytes += Int64(data.count)
                                if fileBytes > config.maxUploadBytes {
                                    throw APIError(status: 413, message: "The file is larger than the \(config.maxUploadBytes)-byte upload limit.", param: "file")
                                }
                                try handle.write(contentsOf: data)
                            } else {
                                currentValue.append(data)
                                if currentValue.count > 64 * 1024 {
                                    throw APIError.invalid("The form field '\(currentName ?? "")' is too long.", param: currentName)
                                }
                            }
                        case .partEnd:
                            if let name = currentName, name != "file" {
                                fields[name] = String(decoding: currentValue, as: UTF8.self)
                            }
                            currentName = nil
                        }
                    }
                } catch let error as APIError {
                    failure = error
                } catch let error as MultipartParser.Malformed {
                    failure = .invalid("The multipart body is malformed: \(error.reason).")
                } catch {
                    failure = APIError(status: 500, message: "Writing the upload failed: \(error.localizedDescription)", type: "server_error")
                }
            }
            if failure == nil { try parser.finish() }
        } catch let error as MultipartParser.Malformed {
            failure = .invalid("The multipart body is malformed: \(error.reason).")
        } catch {
            failure = failure ?? .invalid("The upload was interrupted: \(error.localizedDescription)")
        }
        try? handle.close()
        do {
            if let failure { throw failure }
            guard sawFile, let filename else { throw APIError.missing("file") }
            guard let purpose = fields["purpose"] else { throw APIError.missing("purpose") }
            guard Self.filePurposes.contains(purpose) else {
                throw APIError.invalid("Invalid value for 'purpose': '\(purpose)'. Supported values are: \(Self.filePurposes.joined(separator: ", ")).",
                                       param: "purpose", code: "invalid_value")
            }
            if purpose == "batch", !filename.lowercased().hasSuffix(".jsonl") {
                throw APIError.invalid("Invalid file format for Batch API. Must be .jsonl", param: "file")
            }
            var expiresAfter = try ExpiresAfterPolicy.seconds(form: fields, param: "expires_after")
            if expiresAfter == nil, purpose == "batch" { expiresAfter = 30 * 86_400 }
            let size = fileBytes
            let file = try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> StoredFile in
                let id = world.newFileID()
                let path = world.directory.appendingPathComponent(id)
                do { try FileManager.default.moveItem(at: temporary, to: path) } catch {
                    throw APIError(status: 500, message: "The emulator could not store the file.", type: "server_error")
                }
                let file = StoredFile(id: id, filename: filename, purpose: purpose, bytes: size, createdAt: world.now,
                                      expiresAt: expiresAfter.map { world.now + $0 }, path: path)
                world.insert(file)
                return file
            }
            return Self.json(file.json)
        } catch let error as APIError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw APIError(status: 500, message: "Storing the upload failed: \(error.localizedDescription)", type: "server_error")
        }
    }

    func listFiles(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let limit = try Self.intQuery(request, "limit", default: 10_000, range: 1...10_000)
        let order = Self.query(request, "order") ?? "desc"
        guard order == "asc" || order == "desc" else {
            throw APIError.invalid("Invalid value for 'order': '\(order)'. Supported values are: asc, desc.", param: "order", code: "invalid_value")
        }
        let purpose = Self.query(request, "purpose")
        let after = Self.query(request, "after")
        let list = try engine.withWorld { $0.listFiles(purpose: purpose, limit: limit, ascending: order == "asc", after: after) }
        return Self.json(list)
    }

    func retrieveFile(_ id: String) throws(APIError) -> HTTPResponse {
        let file = try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> StoredFile in try world.file(id: id) }
        return Self.json(file.json)
    }

    func deleteFile(_ id: String) throws(APIError) -> HTTPResponse {
        try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) in try world.deleteFile(id: id) }
        return Self.json(.object([("id", .string(id)), ("object", .string("file")), ("deleted", .bool(true))]))
    }

    /// `GET /v1/files/{id}/content`: the bytes, streamed from disk.
    func fileContent(_ id: String) throws(APIError) -> HTTPResponse {
        let file = try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> StoredFile in try world.file(id: id) }
        guard let body = try? HTTPBodySequence(file: file.path, suggestedBufferSize: 64 * 1024) else {
            throw APIError(status: 500, message: "The content of \(id) could not be read.", type: "server_error")
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/octet-stream",
                                                       .contentDisposition: "attachment; filename=\"\(file.filename)\""],
                            body: body)
    }
}
