//! The customer journey: personas, stages, touchpoints, emotions, pain points, moments of truth,
//! opportunities and KPI targets.

use super::open_enum::open_enum;
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// A customer journey.
///
/// ```
/// use journeystream::{Journey, StagePreset};
/// let journey = Journey::new("j", "Buying a bike").with_stages(StagePreset::FiveStage.stages());
/// assert_eq!(journey.stages[0].id, "awareness");
/// assert_eq!(journey.stages.len(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The scale touchpoint emotions are scored on.
    #[serde(default)]
    pub emotion_scale: EmotionScale,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub personas: Vec<Persona>,
    /// Stages in journey order.
    pub stages: Vec<Stage>,
}

impl Journey {
    /// A journey with no stages yet.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Journey {
        Journey {
            id: id.into(),
            name: name.into(),
            description: None,
            emotion_scale: EmotionScale::default(),
            personas: Vec::new(),
            stages: Vec::new(),
        }
    }

    /// The same journey with these stages.
    pub fn with_stages(mut self, stages: Vec<Stage>) -> Journey {
        self.stages = stages;
        self
    }

    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The touchpoint with this id and the stage it belongs to.
    pub fn touchpoint(&self, id: &str) -> Option<(&Stage, &Touchpoint)> {
        self.stages
            .iter()
            .find_map(|s| s.touchpoints.iter().find(|t| t.id == id).map(|t| (s, t)))
    }

    /// Every moment of truth with its stage.
    pub fn moments_of_truth(&self) -> impl Iterator<Item = (&Stage, &MomentOfTruth)> {
        self.stages
            .iter()
            .flat_map(|s| s.moments_of_truth.iter().map(move |m| (s, m)))
    }
}

/// The declared scale of emotion scores, inclusive (`-2..+2` by default; `1..5` is common too).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmotionScale {
    pub min: f64,
    pub max: f64,
}

impl Default for EmotionScale {
    fn default() -> Self {
        EmotionScale {
            min: -2.0,
            max: 2.0,
        }
    }
}

/// Who travels the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub goals: Vec<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub needs: Vec<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub frustrations: Vec<String>,
}

/// A stage of the journey and what happens in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub pain_points: Vec<PainPoint>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub moments_of_truth: Vec<MomentOfTruth>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub opportunities: Vec<Opportunity>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub kpi_targets: Vec<KpiTarget>,
}

impl Stage {
    /// An empty stage.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Stage {
        Stage {
            id: id.into(),
            name: name.into(),
            description: None,
            touchpoints: Vec::new(),
            pain_points: Vec::new(),
            moments_of_truth: Vec::new(),
            opportunities: Vec::new(),
            kpi_targets: Vec::new(),
        }
    }
}

/// Ready-made stage lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StagePreset {
    /// Awareness, Consideration, Purchase, Retention, Advocacy.
    FiveStage,
    /// Pre-purchase, Purchase, Post-purchase.
    ThreeStage,
}

impl StagePreset {
    /// The preset's stages, empty, with snake_case ids.
    pub fn stages(self) -> Vec<Stage> {
        let names: &[(&str, &str)] = match self {
            StagePreset::FiveStage => &[
                ("awareness", "Awareness"),
                ("consideration", "Consideration"),
                ("purchase", "Purchase"),
                ("retention", "Retention"),
                ("advocacy", "Advocacy"),
            ],
            StagePreset::ThreeStage => &[
                ("pre_purchase", "Pre-purchase"),
                ("purchase", "Purchase"),
                ("post_purchase", "Post-purchase"),
            ],
        };
        names
            .iter()
            .map(|(id, name)| Stage::new(*id, *name))
            .collect()
    }

    /// Parses `"five_stage"` or `"three_stage"`.
    pub fn parse(name: &str) -> crate::Result<StagePreset> {
        match name {
            "five_stage" => Ok(StagePreset::FiveStage),
            "three_stage" => Ok(StagePreset::ThreeStage),
            other => Err(crate::Error::argument(
                "preset",
                other,
                "is not a stage preset: use five_stage or three_stage",
            )),
        }
    }
}

open_enum! {
    /// The channel a touchpoint happens in.
    Channel {
        Web => "web",
        MobileApp => "mobile_app",
        Social => "social",
        Email => "email",
        Phone => "phone",
        Chat => "chat",
        Store => "store",
        Event => "event",
        Partner => "partner",
    }
}

/// A point of contact between customer and organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Touchpoint {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the personas this touchpoint concerns (all when empty).
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub personas: Vec<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub thoughts: Vec<String>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub feelings: Vec<String>,
    /// Emotion score on the journey's [`EmotionScale`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<f64>,
}

/// Something that hurts the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PainPoint {
    pub id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    /// 1 (minor) to 5 (critical).
    pub severity: u8,
    /// Share of customers who meet it, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_pct: Option<f64>,
}

open_enum! {
    /// What kind of moment of truth.
    MomentKind {
        FirstImpression => "first_impression",
        PurchaseDecision => "purchase_decision",
        Support => "support",
    }
}

/// Whether a moment of truth is experienced well or badly today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
    Mixed,
}

impl Polarity {
    /// The name as written in documents (`"negative"`).
    pub fn name(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
            Polarity::Mixed => "mixed",
        }
    }
}

/// A moment that decides what the customer thinks of the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MomentOfTruth {
    pub id: String,
    pub name: String,
    pub kind: MomentKind,
    pub polarity: Polarity,
    /// The touchpoint where it happens; the steps serving it are "the steps behind" the moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An improvement idea, prioritised RICE-style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opportunity {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_point: Option<String>,
    /// Customers affected per period.
    pub reach: f64,
    /// Effect on each customer (RICE: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal).
    pub impact: f64,
    /// Confidence in the estimates, 0–100.
    pub confidence_pct: f64,
    /// Work needed (person-months); must be above zero.
    pub effort: f64,
}

impl Opportunity {
    /// RICE priority: reach × impact × confidence ÷ effort.
    ///
    /// ```
    /// # use journeystream::Opportunity;
    /// let o = Opportunity { id: "o".into(), name: "Self-service returns".into(), touchpoint: None,
    ///     pain_point: None, reach: 500.0, impact: 2.0, confidence_pct: 80.0, effort: 4.0 };
    /// assert_eq!(o.priority(), 200.0);
    /// ```
    pub fn priority(&self) -> f64 {
        self.reach * self.impact * (self.confidence_pct / 100.0) / self.effort
    }
}

open_enum! {
    /// A customer KPI.
    Kpi {
        /// Net Promoter Score, −100..100.
        Nps => "nps",
        /// Customer satisfaction, % of 4–5 answers, 0..100.
        Csat => "csat",
        /// Customer effort score, on its survey scale.
        Ces => "ces",
        /// Churn rate, %.
        ChurnRate => "churn_rate",
        /// Retention rate, %.
        RetentionRate => "retention_rate",
        /// Repeat purchase rate, %.
        RepeatPurchaseRate => "repeat_purchase_rate",
        /// Resolution time (a time target).
        ResolutionTime => "resolution_time",
        /// SLA compliance, %.
        SlaCompliance => "sla_compliance",
    }
}

/// A KPI's target for a stage: a number, or a time for time KPIs (`"48h"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiTarget {
    pub kpi: Kpi,
    pub target: Target,
}

/// A target value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    Number(f64),
    Time(TimeSpan),
}
