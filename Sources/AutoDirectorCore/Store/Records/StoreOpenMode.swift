/// How a store is opened.
public enum StoreOpenMode: Sendable {
    /// Create the project (its directory and database) when missing.
    case create
    /// Fail with `StoreError.noProject` when missing.
    case existing
}
