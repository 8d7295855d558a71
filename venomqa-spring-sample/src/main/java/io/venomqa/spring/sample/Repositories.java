package io.venomqa.spring.sample;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The sample app's Spring Data repositories. */
public final class Repositories {

    private Repositories() {
    }

    public interface Products extends JpaRepository<Product, Long> {
        @Query("select coalesce(sum(p.stock), 0) from Product p")
        long totalStock();
    }

    public interface Orders extends JpaRepository<PurchaseOrder, Long> {
        @Query("select coalesce(sum(o.quantity), 0) from PurchaseOrder o")
        long totalOrdered();
    }

    public interface Audit extends JpaRepository<AuditEntry, Long> {
    }
}
