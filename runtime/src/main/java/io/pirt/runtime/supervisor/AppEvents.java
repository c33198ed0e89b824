package io.pirt.runtime.supervisor;

/** What the supervisor tells its owner (the runtime's restart policy; the bundle store's trial). */
public interface AppEvents {
    /** The application linked up with the runtime. */
    void started(AppSpec app);

    /** The application called {@code Supervisor.markHealthy()}. */
    void healthy(AppSpec app);

    /** The application sent one structured event ({@code event JSON} on its link): a test runner's report. */
    void event(AppSpec app, String json);

    /** The application asks the host side of the rig to act ({@code ask-host ID ACTION} on its link). */
    void hostAction(AppSpec app, String idAndAction);

    /** The application ended in {@code state} (EXITED, CRASHED, HUNG or STOPPED), with {@code detail} for people. */
    void ended(AppSpec app, AppState state, String detail);
}
