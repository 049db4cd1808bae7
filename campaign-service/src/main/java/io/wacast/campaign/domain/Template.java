package io.wacast.campaign.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A Meta-approved message template as registered here, so that every campaign and recipient can be
 * checked for complete variables before anything reaches Meta (whose answer would be error 132000).
 */
@Entity
@Table(name = "templates")
public class Template extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String language;

    public TemplateCategory category;

    public TemplateStatus status;

    @Column(name = "header_type")
    public HeaderType headerType;

    @Column(name = "header_text")
    public String headerText;

    public String body;

    public String footer;

    @Convert(converter = JsonColumns.ButtonsConverter.class)
    public List<TemplateButton> buttons = new ArrayList<>();

    /** Meta's id of the template, learned from its webhooks (null for a template Meta never named). */
    @Column(name = "meta_template_id")
    public String metaTemplateId;

    /** Why Meta last changed the status (its {@code reason}), when it said. */
    @Column(name = "status_reason")
    public String statusReason;

    /** Meta's time of the status change last applied. */
    @Column(name = "status_at")
    public Instant statusAt;

    /** Meta's quality score: green, yellow, red or unknown; null until Meta rated it. */
    public String quality;

    @Column(name = "quality_at")
    public Instant qualityAt;

    @Column(name = "category_at")
    public Instant categoryAt;

    /** A category change Meta announced and has not made yet. */
    @Column(name = "upcoming_category")
    public TemplateCategory upcomingCategory;

    @Column(name = "upcoming_category_at")
    public Instant upcomingCategoryAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<Template> findByNameAndLanguage(String name, String language) {
        return find("name = ?1 and language = ?2", name, language).firstResultOptional();
    }

    public TemplateVariables variables() {
        return TemplateVariables.of(headerType, headerText, body, buttons);
    }
}
