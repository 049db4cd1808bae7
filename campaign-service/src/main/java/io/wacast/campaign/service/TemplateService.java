package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;
import io.wacast.campaign.domain.ButtonType;
import io.wacast.campaign.domain.HeaderType;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateButton;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.common.problem.Problem.FieldError;

/** The registry of templates campaigns may use, checked against Meta's placeholder rules on entry. */
@ApplicationScoped
public class TemplateService {

    /** A template as registered; see the REST API for field meanings. */
    /** Meta's template language codes: {@code en}, {@code en_US}, {@code pt_BR}, {@code fil}, {@code zh_HK}. */
    public static final String LANGUAGE = "[a-z]{2,3}(_[A-Z]{2})?";
    public static final String LANGUAGE_RULE = "must be a language code such as en, en_US or pt_BR";

    public record NewTemplate(String name, String language, TemplateCategory category, TemplateStatus status,
            HeaderType headerType, String headerText, String body, String footer, List<TemplateButton> buttons) {
    }

    @Transactional
    public Template register(NewTemplate request) {
        HeaderType headerType = request.headerType() == null ? HeaderType.NONE : request.headerType();
        List<TemplateButton> buttons = request.buttons() == null ? List.of() : request.buttons();
        validate(request, headerType, buttons);
        if (Template.findByNameAndLanguage(request.name(), request.language()).isPresent()) {
            throw ProblemException.conflict("template '" + request.name() + "' (" + request.language() + ") is already registered");
        }
        Template template = new Template();
        template.name = request.name();
        template.language = request.language();
        template.category = request.category();
        template.status = request.status() == null ? TemplateStatus.APPROVED : request.status();
        template.headerType = headerType;
        template.headerText = request.headerText();
        template.body = request.body();
        template.footer = request.footer();
        template.buttons = new ArrayList<>(buttons);
        template.createdAt = Instant.now();
        template.updatedAt = template.createdAt;
        template.persist();
        return template;
    }

    @Transactional
    public List<Template> list(TemplateStatus status) {
        return status == null
                ? Template.listAll(Sort.by("name").and("language"))
                : Template.list("status", Sort.by("name").and("language"), status);
    }

    @Transactional
    public Template get(long id) {
        return Template.<Template>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("template", id));
    }

    /** The approved template a campaign names; 422 when it is unknown or not sendable. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Template sendable(String name, String language) {
        Optional<ProblemException> problem = whyNotSendable(name, language);
        if (problem.isPresent()) {
            throw problem.get();
        }
        return Template.findByNameAndLanguage(name, language).orElseThrow();
    }

    /**
     * Why a campaign of this template cannot be sent now (the 422 {@link #sendable} throws), without
     * throwing: a RuntimeException leaving a transactional method marks the caller's transaction
     * rollback-only, and the scheduler's start must still commit the campaign's pause.
     */
    static Optional<ProblemException> whyNotSendable(String name, String language) {
        Optional<Template> found = Template.findByNameAndLanguage(name, language);
        if (found.isEmpty()) {
            return Optional.of(ProblemException.unprocessable(
                    "unknown template '" + name + "' (" + language + "); register it at /api/whatsapp/templates first",
                    List.of(FieldError.of("templateName", "no such template in language " + language))));
        }
        Template template = found.get();
        if (template.status != TemplateStatus.APPROVED) {
            return Optional.of(ProblemException.unprocessable("template '" + name + "' (" + language + ") is "
                    + template.status.value() + "; only approved templates can be sent",
                    List.of(FieldError.of("templateName", "template is " + template.status.value()))));
        }
        return Optional.empty();
    }

    /**
     * Meta's placeholder rules for a template about to be registered; throws the 400 problem. Called
     * outside any transaction by the template sync, so a template it cannot take does not roll back
     * the others.
     */
    static void check(NewTemplate request) {
        validate(request, request.headerType() == null ? HeaderType.NONE : request.headerType(),
                request.buttons() == null ? List.of() : request.buttons());
    }

    private static void validate(NewTemplate request, HeaderType headerType, List<TemplateButton> buttons) {
        List<FieldError> errors = new ArrayList<>();
        String bodyProblem = TemplateVariables.placeholderProblem(request.body());
        if (bodyProblem != null) {
            errors.add(FieldError.of("body", bodyProblem));
        }
        if (headerType == HeaderType.TEXT) {
            if (request.headerText() == null || request.headerText().isBlank()) {
                errors.add(FieldError.of("headerText", "a text header needs its text"));
            } else if (!TemplateVariables.placeholders(request.headerText()).stream().allMatch(n -> n == 1)) {
                errors.add(FieldError.of("headerText", "a text header takes at most one placeholder, {{1}}"));
            }
        } else if (request.headerText() != null) {
            errors.add(FieldError.of("headerText", "only a text header has text"));
        }
        for (int i = 0; i < buttons.size(); i++) {
            TemplateButton button = buttons.get(i);
            String field = "buttons[" + i + "]";
            if (button.type() == ButtonType.URL) {
                if (button.url() == null || button.url().isBlank()) {
                    errors.add(FieldError.of(field + ".url", "a URL button needs its url"));
                } else if (button.parameter() != button.url().contains("{{1}}")) {
                    errors.add(FieldError.of(field + ".url",
                            "a URL button takes a parameter exactly when its url ends with {{1}}"));
                }
            } else if (button.url() != null) {
                errors.add(FieldError.of(field + ".url", "only URL buttons have a url"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
    }
}
