/// The version of batchtop, shown by `--version` and recorded in the database.
public enum BatchtopVersion {
    public static let current = "0.1.0"
}
