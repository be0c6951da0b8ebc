import CGit2

extension GitRepository {
    /// libgit2 works out where the global and XDG config files live once, when first
    /// used. A process that changes `HOME` afterwards (a test harness that points git at
    /// a scratch home) calls this so `user.email` and friends come from the new place.
    public static func reloadConfigSearchPaths() throws {
        try ensureLibgit2()
        for level in [GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM] {
            try check(
                evident_git_reset_config_search_path(level.rawValue), "reset the config search path")
        }
    }
}
