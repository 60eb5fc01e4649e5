extension PriceTable {
    /// Prices a provider batch from its own `usage` at batch rates; nil when the batch has no `usage`
    /// (batches created before 2025-09-07), in which case sum its output file with `UsageIngest`.
    ///
    /// A batch without `model` is unpriced under `UsageIngestReport.unknownModel`, never $0.
    public func price(batch: Batch) -> PricedUsage? {
        guard let usage = batch.usage else { return nil }
        return price(usage, model: batch.model ?? UsageIngestReport.unknownModel, lane: .batch)
    }

    /// Prices every model of an ingested output file in `lane` (normally `.batch`), sorted by model.
    public func price(_ report: UsageIngestReport, lane: Lane = .batch) -> [PricedUsage] {
        report.usageByModel.keys.sorted().compactMap { model in
            report.usageByModel[model].map { price($0.usage, model: model, lane: lane) }
        }
    }
}
