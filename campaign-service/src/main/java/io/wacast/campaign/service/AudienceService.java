package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jboss.logging.Logger;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.AudienceRepository;
import io.wacast.campaign.repository.AudienceRepository.Audience;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.text.FreeText;
import io.wacast.common.text.SingleLine;

/** Saved audiences: named filters over the contact book, their live count, and which campaign targets which. */
@ApplicationScoped
public class AudienceService {

    private static final Logger LOG = Logger.getLogger(AudienceService.class);

    /** @param filter an {@link AudienceFilter} as JSON, read strictly (an unknown condition is a 400) */
    public record AudienceSpec(@NotBlank @Size(max = 200) @SingleLine String name, @Size(max = 2000) @FreeText String description,
            com.fasterxml.jackson.databind.JsonNode filter) {
    }

    /**
     * @param variables template key → contact attribute name ({@code {"body.1": "first_name"}}); a key not
     *     named here reads the attribute of its own name
     */
    public record TargetSpec(@NotNull Long audienceId,
            @Size(max = CampaignSpec.MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String, @NotNull String> variables) {
    }

    public record AudiencePage(List<Audience> items, int page, int size, long total) {
    }

    private final AudienceRepository repository;

    AudienceService(AudienceRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public Audience create(@Valid AudienceSpec spec) {
        AudienceFilter filter = checkedFilter(spec.filter());
        Instant now = Instant.now();
        long id = repository.create(spec.name().strip(), spec.description(), filter, now)
                .orElseThrow(() -> nameTaken(spec.name()));
        LOG.infof("audience %d '%s' created", id, spec.name().strip());
        return get(id);
    }

    @Transactional
    public Audience update(long id, AudienceSpec spec) {
        get(id);
        AudienceFilter filter = checkedFilter(spec.filter());
        if (!repository.update(id, spec.name().strip(), spec.description(), filter, Instant.now())) {
            throw nameTaken(spec.name());
        }
        return get(id);
    }

    /** Deletes an audience no campaign targets (409 naming the campaigns otherwise). */
    @Transactional
    public void delete(long id) {
        get(id);
        List<Long> campaigns = repository.campaignsOf(id, 10);
        if (!campaigns.isEmpty()) {
            ProblemException conflict = ProblemException.conflict("audience " + id + " is targeted by campaign"
                    + (campaigns.size() > 1 ? "s " : " ") + campaigns.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                    + "; it is kept as their record of whom they addressed");
            throw new ProblemException(conflict.status(), conflict.slug(), conflict.title(), conflict.getMessage(),
                    List.of(new FieldError("id", null, "targeted by campaigns", String.valueOf(campaigns.get(0)))));
        }
        repository.delete(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Audience get(long id) {
        return repository.find(id).orElseThrow(() -> ProblemException.notFound("audience", id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AudiencePage list(int page, int size) {
        return new AudiencePage(repository.page(page, size), page, size, repository.total());
    }

    /** How many contacts the saved audience matches now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(long id) {
        return repository.count(get(id).filter(), Instant.now());
    }

    /** How many contacts an unsaved filter matches now (the console's live count while editing). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(com.fasterxml.jackson.databind.JsonNode raw) {
        return repository.count(checkedFilter(raw), Instant.now());
    }

    /** Which campaigns the filter names must exist: 422 naming the condition otherwise. */
    AudienceFilter checkedFilter(com.fasterxml.jackson.databind.JsonNode raw) {
        AudienceFilter filter = AudienceFilter.read("filter.", raw);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < filter.campaignConditions().size(); i++) {
            long campaignId = filter.campaignConditions().get(i).campaignId();
            if (Campaign.findById(campaignId) == null) {
                errors.add(new FieldError("filter.recipientsOf[" + i + "].campaignId", null, "no campaign " + campaignId,
                        String.valueOf(campaignId)));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return filter;
    }

    // ---- the audience of a campaign --------------------------------------------------------------

    /**
     * Makes a draft or scheduled campaign target an audience (replacing an earlier choice); its
     * recipients are taken from it when it starts. 409 once started, 422 for an unknown audience or a
     * variable the template does not take.
     */
    @Transactional
    public AudienceRepository.Link target(long campaignId, @Valid TargetSpec spec) {
        Campaign campaign = startable(campaignId, "given an audience");
        link(campaign, spec.audienceId(), spec.variables(), "audienceId", "variables.");
        return repository.link(campaignId).orElseThrow();
    }

    /**
     * The audience named by a campaign's create or replace request ({@code audienceId},
     * {@code audienceVariables}), linked in the caller's transaction: an unknown audience or a bad variable
     * is a 422/400 naming the field and rolls the whole request back. No {@code audienceId}: nothing
     * changes (variables alone are refused, they would map nothing).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void targetFromSpec(Campaign campaign, CampaignSpec spec) {
        if (spec.audienceId() == null) {
            if (spec.audienceVariables() != null && !spec.audienceVariables().isEmpty()) {
                throw ProblemException.invalidField("audienceVariables", "map variables to contact attributes only with an audienceId");
            }
            return;
        }
        link(campaign, spec.audienceId(), spec.audienceVariables(), "audienceId", "audienceVariables.");
    }

    /** A duplicate targets the source's audience with the same variable map (the snapshot is the copy's own). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void copyTarget(long sourceId, long copyId) {
        repository.link(sourceId).ifPresent(link -> repository.link(copyId, link.audienceId(), link.variableMap()));
    }

    private void link(Campaign campaign, long audienceId, Map<String, String> given, String idField, String variablesField) {
        if (repository.find(audienceId).isEmpty()) {
            throw ProblemException.unprocessable("no audience " + audienceId,
                    List.of(new FieldError(idField, null, "no such audience", String.valueOf(audienceId))));
        }
        Map<String, String> variables = given == null ? Map.of() : new LinkedHashMap<>(given);
        TemplateVariables templateVariables = Template.findByNameAndLanguage(campaign.templateName, campaign.templateLanguage)
                .map(Template::variables).orElse(null);
        List<FieldError> errors = new ArrayList<>();
        variables.forEach((key, attribute) -> {
            if (templateVariables != null && !templateVariables.keys().contains(key)) {
                errors.add(new FieldError(variablesField + key, null, "the template takes "
                        + (templateVariables.keys().isEmpty() ? "no variables" : String.join(", ", templateVariables.keys())), key));
            }
            String problem = ContactFields.attributeNameProblem(attribute);
            if (problem != null) {
                errors.add(new FieldError(variablesField + key, null, problem, attribute));
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        repository.link(campaign.id, audienceId, variables);
    }

    /** The campaign's audience for its plan: the live count until the snapshot, the snapshot's report after. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public CampaignPlan.Audience audienceOf(long campaignId, Instant now) {
        return repository.link(campaignId).flatMap(link -> repository.find(link.audienceId()).map(audience -> new CampaignPlan.Audience(
                audience.id(), audience.name(), link.snapshotAt() == null ? repository.count(audience.filter(), now) : null,
                link.variableMap(), link.snapshotAt(), link.snapshot()))).orElse(null);
    }

    @Transactional
    public void untarget(long campaignId) {
        startable(campaignId, "changed");
        repository.unlink(campaignId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<AudienceRepository.Link> targetOf(long campaignId) {
        if (Campaign.findById(campaignId) == null) {
            throw ProblemException.notFound("campaign", campaignId);
        }
        return repository.link(campaignId);
    }

    private static Campaign startable(long campaignId, String what) {
        Campaign campaign = Campaign.<Campaign>findByIdOptional(campaignId)
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        if (campaign.status != CampaignStatus.DRAFT && campaign.status != CampaignStatus.SCHEDULED) {
            ProblemException conflict = ProblemException.conflict("campaign " + campaignId + " is " + campaign.status.value()
                    + "; its audience can be " + what + " only while draft or scheduled");
            throw new ProblemException(conflict.status(), conflict.slug(), conflict.title(), conflict.getMessage(),
                    List.of(new FieldError("status", null, "current status", campaign.status.value())));
        }
        return campaign;
    }

    private static ProblemException nameTaken(String name) {
        ProblemException conflict = ProblemException.conflict("an audience named '" + name.strip() + "' exists");
        return new ProblemException(conflict.status(), conflict.slug(), conflict.title(), conflict.getMessage(),
                List.of(new FieldError("name", null, "taken", name.strip())));
    }
}
