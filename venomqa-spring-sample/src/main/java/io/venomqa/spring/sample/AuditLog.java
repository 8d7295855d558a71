package io.venomqa.spring.sample;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes the audit log in a transaction of its own, as audit logs do. */
@Service
public class AuditLog {

    private final Repositories.Audit audit;

    public AuditLog(Repositories.Audit audit) {
        this.audit = audit;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String message) {
        audit.save(new AuditEntry(message));
    }
}
