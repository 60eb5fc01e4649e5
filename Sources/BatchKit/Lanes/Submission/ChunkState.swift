/// Where one chunk of a submission is on its way to becoming a provider batch.
///
/// held -> uploading -> uploaded -> creating -> created; `failed` is final. A chunk whose batch failed on
/// the enqueued-token limit goes back to `held` (once, see `RequeuePolicy`), keeping its uploaded file.
public enum ChunkState: String, Codable, Sendable, Hashable, CaseIterable {
    /// In the local queue, waiting for admission.
    case held
    /// Its file is being written and uploaded; a resumed run uploads again (an orphaned upload is harmless).
    case uploading
    /// Uploaded (`fileID` set), not yet created.
    case uploaded
    /// The create intent is recorded and the create may have been sent: a resumed run reconciles first.
    case creating
    /// The batch exists (`batchID` set).
    case created
    /// Gave up; `lastError` says why.
    case failed
}
