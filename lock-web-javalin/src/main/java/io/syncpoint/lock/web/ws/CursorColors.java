package io.syncpoint.lock.web.ws;

import java.util.List;
import java.util.UUID;

/** A user's cursor colour: derived from the user id alone, so every node and every viewer agrees on it. */
final class CursorColors {
    private static final List<String> PALETTE = List.of(
            "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46a0a8",
            "#f032e6", "#9a6324", "#800000", "#008080", "#000075", "#808000");

    private CursorColors() {
    }

    static String of(UUID userId) {
        return PALETTE.get(Math.floorMod(userId.hashCode(), PALETTE.size()));
    }
}
