import Foundation

/// Checks where an export will be written before any work starts, so a wrong `--out` gets a
/// sentence that says what is wrong with it and what to do — not a Foundation error code after
/// the images have been read.
enum ExportDestination {
    /// `directory` is `--out`; `targets` are the paths inside it that will be replaced
    /// (`DIR/<batch>` and, with `--zip`, `DIR/<batch>.zip`).
    static func check(directory: URL, targets: [(url: URL, isDirectory: Bool)]) throws {
        let out = TextSanitizer.visible(directory.path, limit: 300)
        var info = stat()
        if lstat(directory.path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK, stat(directory.path, &info) != 0 {
                throw ExportError(message: "\(out) is a symbolic link that points nowhere; choose another --out or fix the link")
            }
            if (info.st_mode & S_IFMT) != S_IFDIR {
                throw ExportError(message: "\(out) is a file, not a directory; choose a directory with --out (it is created when missing)")
            }
            if access(directory.path, W_OK | X_OK) != 0 {
                throw ExportError(message: "cannot write in \(out) (permission denied); choose a directory you can write with --out")
            }
        } else {
            // Created on export: its nearest existing ancestor must be a writable directory.
            var ancestor = directory.deletingLastPathComponent()
            while lstat(ancestor.path, &info) != 0, ancestor.path != "/" { ancestor = ancestor.deletingLastPathComponent() }
            let shown = TextSanitizer.visible(ancestor.path, limit: 300)
            if stat(ancestor.path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
                throw ExportError(message: "cannot create \(out): \(shown) is not a directory; choose another --out")
            }
            if access(ancestor.path, W_OK | X_OK) != 0 {
                throw ExportError(message: "cannot create \(out): \(shown) is not writable (permission denied); choose another --out")
            }
        }
        for target in targets {
            let shown = TextSanitizer.visible(target.url.path, limit: 300)
            guard lstat(target.url.path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw ExportError(message: "\(shown) is a symbolic link; an export replaces what is there and will not follow or remove a link. Remove it or choose another --out")
            }
            if target.isDirectory && kind != S_IFDIR {
                throw ExportError(message: "\(shown) exists and is not a directory; an export only replaces an earlier export there. Remove it or choose another --out")
            }
            if !target.isDirectory && kind != S_IFREG {
                throw ExportError(message: "\(shown) exists and is not a file; an export only replaces an earlier zip there. Remove it or choose another --out")
            }
        }
    }
}
