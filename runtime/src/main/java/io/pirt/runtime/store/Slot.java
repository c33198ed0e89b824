package io.pirt.runtime.store;

import java.nio.file.Path;

/**
 * A complete, verified slot that can be started.
 *
 * @param id      which slot
 * @param content what it holds
 * @param jarsDir the directory its jars were extracted into
 * @param onTrial true while the slot is on trial (not yet committed)
 */
public record Slot(SlotId id, SlotContent content, Path jarsDir, boolean onTrial) {}
