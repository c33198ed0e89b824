package io.pirt.runtime.supervisor;

/** What the supervisor tells its owner (the runtime's restart policy; the bundle store's trial). */
public interface AppEvents {
    /** The application linked up with the runtime. */
    void started(AppSpec app);

    /** The application called {@code Supervisor.markHealthy()}. */
    void healthy(AppSpec app);

    /** The application ended in {@code state} (EXITED, CRASHED, HUNG or STOPPED), with {@code detail} for people. */
    void ended(AppSpec app, AppState state, String detail);
}
