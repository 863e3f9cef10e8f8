/// The product's version, as the HTTP service reports it (`GET /`).
public enum AutoDirectorVersion {
    public static let string = "0.9.0"
}
