package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;

/** An exploration without a violation, exposed as a public static field holding a builder. */
public final class SafeWallet {

    public static final Exploration.Builder SAFE = WalletExplorations.wallet("safe", "/safe/withdraw");

    private SafeWallet() {
    }
}
