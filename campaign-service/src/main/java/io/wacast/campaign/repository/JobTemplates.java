package io.wacast.campaign.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.domain.WireEnumConverters;

/**
 * What a send job needs of its template, read with plain JDBC in the caller's transaction. The
 * dispatcher asks once per round; through the {@code Template} entity that opened a Hibernate session
 * per round, 16 % of the dispatcher's CPU (BENCHMARKS.md "Dispatch").
 */
@ApplicationScoped
public class JobTemplates {

    /** The template's category now (null when Meta has not said) and its variables. */
    public record JobTemplate(TemplateCategory category, TemplateVariables variables) {

        /** The category as a job carries it. */
        public String categoryValue() {
            return category == null ? null : category.value();
        }
    }

    // the entity's own column converters: the columns read here as Template reads them
    private static final WireEnumConverters.TemplateCategoryConverter CATEGORY = new WireEnumConverters.TemplateCategoryConverter();
    private static final WireEnumConverters.HeaderTypeConverter HEADER_TYPE = new WireEnumConverters.HeaderTypeConverter();
    private static final JsonColumns.ButtonsConverter BUTTONS = new JsonColumns.ButtonsConverter();

    private final AgroalDataSource dataSource;

    JobTemplates(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobTemplate> find(String name, String language) {
        return Jdbc.list(dataSource, "SELECT category, header_type, header_text, body, buttons FROM templates"
                + " WHERE name = ? AND language = ?", query -> {
                    query.setString(1, name);
                    query.setString(2, language);
                }, row -> new JobTemplate(CATEGORY.convertToEntityAttribute(row.getString(1)),
                        TemplateVariables.of(HEADER_TYPE.convertToEntityAttribute(row.getString(2)), row.getString(3),
                                row.getString(4), BUTTONS.convertToEntityAttribute(row.getString(5)))),
                "reading a campaign's template").stream().findFirst();
    }
}
