import CGit2

// Owning wrappers for libgit2 handles. Each frees its handle in `deinit` and keeps a
// strong reference to the repository, because libgit2 objects point into repository
// state (object database, caches) and must never outlive it. None of these leave the
// module: the public API hands out plain Swift values only.

final class CommitHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_commit_free(pointer) }

    var id: git_oid { git_commit_id(pointer).pointee }

    func tree() throws -> TreeHandle {
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, pointer), "read the tree of commit \(hexString(id))")
        guard let tree else {
            throw GitError(kind: .library, message: "libgit2 returned no tree", operation: "read commit tree")
        }
        return TreeHandle(repository, tree)
    }
}

final class TreeHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_tree_free(pointer) }

    var id: git_oid { git_tree_id(pointer).pointee }
}

/// An entry returned by `git_tree_entry_bypath`, which the caller owns (unlike entries
/// from `git_tree_entry_byindex`, which borrow from their tree).
final class OwnedTreeEntry {
    let tree: TreeHandle
    let pointer: OpaquePointer
    init(_ tree: TreeHandle, _ pointer: OpaquePointer) {
        self.tree = tree
        self.pointer = pointer
    }
    deinit { git_tree_entry_free(pointer) }
}

final class BlobHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_blob_free(pointer) }
}

final class ObjectHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_object_free(pointer) }
}

final class ReferenceHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_reference_free(pointer) }
}

final class IndexHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_index_free(pointer) }
}

final class ConfigHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_config_free(pointer) }
}

final class RevwalkHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_revwalk_free(pointer) }
}

final class OdbHandle {
    let repository: GitRepository
    let pointer: OpaquePointer
    init(_ repository: GitRepository, _ pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
    }
    deinit { git_odb_free(pointer) }
}

/// A `git_signature` we created; freed with `git_signature_free`.
final class SignatureHandle {
    let pointer: UnsafeMutablePointer<git_signature>
    init(_ pointer: UnsafeMutablePointer<git_signature>) { self.pointer = pointer }
    deinit { git_signature_free(pointer) }

    convenience init(_ value: GitSignature) throws {
        try requireNoNUL(value.name, "signature name")
        try requireNoNUL(value.email, "signature email")
        var sig: UnsafeMutablePointer<git_signature>?
        let seconds = git_time_t(value.date.timeIntervalSince1970.rounded(.down))
        try check(
            git_signature_new(&sig, value.name, value.email, seconds, Int32(value.timeZoneOffsetMinutes)),
            "create signature for \(value.name) <\(value.email)>", kind: .invalidArgument)
        guard let sig else {
            throw GitError(kind: .library, message: "libgit2 returned no signature", operation: "create signature")
        }
        self.init(sig)
    }
}
