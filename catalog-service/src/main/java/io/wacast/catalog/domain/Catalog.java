package io.wacast.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.Optional;

/** A product catalog; {@code metaCatalogId} links it to the catalog Meta shows and sends orders from. */
@Entity
@Table(name = "catalog")
public class Catalog extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "meta_catalog_id")
    public String metaCatalogId;

    public String description;

    @Version
    public long version;

    public static Optional<Catalog> findByMetaCatalogId(String metaCatalogId) {
        return find("metaCatalogId", metaCatalogId).firstResultOptional();
    }
}
