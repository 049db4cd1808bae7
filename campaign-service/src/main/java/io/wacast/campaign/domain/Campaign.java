package io.wacast.campaign.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.status.CampaignStatus;

/**
 * A campaign as operators edit it; written only by the CampaignRepository. Status changes never go
 * through this entity: they are conditional UPDATEs (CampaignLifecycle), so two replicas or two clicks
 * cannot both win.
 */
@Entity
@Table(name = "campaigns")
public class Campaign extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String description;

    @Column(name = "template_name")
    public String templateName;

    @Column(name = "template_language")
    public String templateLanguage;

    @Column(name = "template_variables")
    @Convert(converter = JsonColumns.StringMapConverter.class)
    public Map<String, String> templateVariables = new LinkedHashMap<>();

    @Column(name = "phone_number_id")
    public String phoneNumberId;

    @Column(name = "rate_limit")
    public int rateLimit;

    @Column(name = "window_start_hour")
    public Integer windowStartHour;

    @Column(name = "window_end_hour")
    public Integer windowEndHour;

    @Column(name = "window_time_zone")
    public String windowTimeZone;

    @Column(name = "scheduled_for")
    public Instant scheduledFor;

    public CampaignStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Version
    public long version;

    @Column(name = "control_version")
    public long controlVersion;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public CampaignControl.SendWindow sendWindow() {
        return windowTimeZone == null ? null
                : new CampaignControl.SendWindow(windowStartHour, windowEndHour, windowTimeZone);
    }

    public void sendWindow(CampaignControl.SendWindow window) {
        windowStartHour = window == null ? null : window.startHour();
        windowEndHour = window == null ? null : window.endHour();
        windowTimeZone = window == null ? null : window.timeZone();
    }
}
