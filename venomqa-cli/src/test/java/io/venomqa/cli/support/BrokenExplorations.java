package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;

/** An exploration that cannot be made: its method throws; the other one is fine. */
public final class BrokenExplorations {

    private BrokenExplorations() {
    }

    public static Exploration.Builder broken() {
        throw new IllegalStateException("no moves configured for the shop");
    }

    public static Exploration.Builder fine() {
        return WalletExplorations.wallet("fine", "/safe/withdraw");
    }
}
