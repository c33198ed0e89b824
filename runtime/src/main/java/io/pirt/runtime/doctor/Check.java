package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.DoctorReport.Verdict;

/** One check of {@link Doctor}: reads what it needs from an {@link Examination} and concludes. Stateless. */
abstract class Check {
    /** Its id in the report (docs/protocol.md), stable for programs. */
    final String id;
    /** What it checks, for a person. */
    final String title;

    Check(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The verdict on the machine examined. @throws java.io.UncheckedIOException when a file it needs cannot be read */
    abstract DoctorReport.Check run(Examination e);

    DoctorReport.Check ok(String found) {
        return new DoctorReport.Check(id, title, Verdict.OK, found, "");
    }

    DoctorReport.Check skip(String found) {
        return new DoctorReport.Check(id, title, Verdict.SKIP, found, "");
    }

    DoctorReport.Check warn(String found, String advice) {
        return new DoctorReport.Check(id, title, Verdict.WARN, found, advice);
    }

    DoctorReport.Check fail(String found, String advice) {
        return new DoctorReport.Check(id, title, Verdict.FAIL, found, advice);
    }
}
